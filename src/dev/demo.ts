import express, { type Router } from 'express';
import type { Config } from '../config/model.ts';
import type { Portvagt } from '../portvagt.ts';
import { outboxDir } from '../mail/mail-transport.ts';
import { demoRpRoutes } from './demo-rp.ts';
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

/** Demo mode: the mock upstreams, the demo RP (client `demo`) and its seeded tenant data. */
export function demoRoutes(config: Config): { routes: () => Router[]; seed: (portvagt: Portvagt) => Promise<DemoSeed> } {
  const client = config.clients.get('demo');
  return {
    routes: () => [
      mockUpstreamRoutes(config),
      ...(client?.secret
        ? [demoRpRoutes({ baseUrl: config.server.base_url, clientId: client.id, clientSecret: client.secret, tenant: client.tenants[0] })]
        : []),
      ...(config.smtp?.outbox ? [outboxRoutes(outboxDir(config))] : []),
    ],
    seed: (portvagt) => seedDemo(config, portvagt.accounts, portvagt.invitations),
  };
}
