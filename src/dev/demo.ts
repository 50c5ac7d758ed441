import express, { type Router } from 'express';
import type { Config } from '../config/model.ts';
import type { Portvagt } from '../portvagt.ts';
import { outboxDir } from '../mail/mail-transport.ts';
import { demoRpRoutes, type DemoRpOptions, type DemoSystemText } from './demo-rp.ts';
import { seedDemo, type DemoSeed } from './demo-seed.ts';
import { createMockUpstream } from './mock-upstream.ts';
import { outboxRoutes } from './outbox-page.ts';

/** Every upstream configured as a built-in mock, served by this process under /mock/<id>. */
export function mockUpstreamRoutes(config: Config): Router {
  const router = express.Router();
  for (const method of config.methods.values()) {
    if (!method.mock?.mounted) continue;
    const { auth } = method;
    const mock = createMockUpstream({
      name: method.id,
      kind: method.mock.kind,
      dialect: method.dialect,
      profile: method.profile,
      issuer: method.issuer,
      clients: [
        {
          client_id: method.clientId,
          token_endpoint_auth_method: auth.method,
          client_secret: 'secret' in auth ? auth.secret : undefined,
          jwks: 'key' in auth ? { keys: [auth.key.publicJwk] } : undefined,
          redirect_uris: [method.callbackUrl],
        },
      ],
      proxy: config.server.trust_proxy !== false,
    });
    router.use(mock.path, mock.router);
  }
  return router;
}

/**
 * The demo systems (config/demo.yaml): IMS and a case system of the same tenant, to show single
 * sign-on and single logout; each is at its client's `client_uri`.
 */
const DEMO_SYSTEMS: Readonly<Record<string, DemoSystemText>> = {
  demo: { title: 'IMS', intro: 'Et eksempel på et system der logger sine brugere ind gennem Portvagt.' },
  sagssystem: { title: 'Sagssystemet', intro: 'Et andet system i samme virksomhed: er du logget ind i IMS, kommer du ind her uden at logge ind igen.' },
};

/** The demo systems configured with a secret and a home page, each with its own path. */
function demoSystems(config: Config): DemoRpOptions[] {
  const systems = Object.entries(DEMO_SYSTEMS).flatMap(([id, text]) => {
    const client = config.clients.get(id);
    if (!client?.secret || !client.clientUri) return [];
    const path = new URL(client.clientUri).pathname;
    return [{ ...text, baseUrl: config.server.base_url, clientId: id, clientSecret: client.secret, path, color: client.primaryColor, tenant: client.tenants[0] }];
  });
  return systems.map((system) => ({ ...system, others: systems.filter((other) => other !== system && other.tenant === system.tenant).map(({ title, path }) => ({ title, path })) }));
}

/** Demo mode: the mock upstreams, the demo systems and their seeded tenant data. */
export function demoRoutes(config: Config): { routes: () => Router[]; seed: (portvagt: Portvagt) => Promise<DemoSeed> } {
  return {
    routes: () => [mockUpstreamRoutes(config), ...demoSystems(config).map(demoRpRoutes), ...(config.smtp?.outbox ? [outboxRoutes(outboxDir(config))] : [])],
    seed: (portvagt) => seedDemo(config, portvagt.accounts, portvagt.invitations),
  };
}
