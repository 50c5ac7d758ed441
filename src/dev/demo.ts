import express, { type Router } from 'express';
import type { Config } from '../config/schema.ts';
import type { Portvagt } from '../portvagt.ts';
import { readUpstreamKey } from '../config/upstream-key.ts';
import { getDialect } from '../upstream/dialects/index.ts';
import { resolveProfile } from '../upstream/profiles/index.ts';
import { upstreamIssuer } from '../upstream/registry.ts';
import { outboxDir } from '../mail/mail-transport.ts';
import { demoRpRoutes } from './demo-rp.ts';
import { seedDemo, type DemoSeed } from './demo-seed.ts';
import { createMockUpstream } from './mock-upstream.ts';
import { outboxRoutes } from './outbox-page.ts';

/** Every upstream configured as a built-in mock, served by this process under /mock/<id>. */
export function mockUpstreamRoutes(config: Config): Router {
  const router = express.Router();
  for (const upstream of config.upstreams) {
    if (!upstream.mock || upstream.issuer) continue;
    const profile = resolveProfile(upstream);
    const key = upstream.token_endpoint_auth_method === 'private_key_jwt' ? readUpstreamKey(upstream) : undefined;
    const mock = createMockUpstream({
      name: upstream.id,
      kind: upstream.mock,
      dialect: getDialect(profile.dialect),
      profile,
      issuer: upstreamIssuer(config, upstream),
      clients: [
        {
          client_id: upstream.client_id,
          token_endpoint_auth_method: upstream.token_endpoint_auth_method,
          client_secret: upstream.client_secret,
          jwks: key && 'key' in key ? { keys: [key.key.publicJwk] } : undefined,
          redirect_uris: [`${config.server.base_url}/callback/${upstream.id}`],
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
  const client = config.clients.find((c) => c.client_id === 'demo');
  return {
    routes: () => [
      mockUpstreamRoutes(config),
      ...(client?.client_secret
        ? [demoRpRoutes({ baseUrl: config.server.base_url, clientId: client.client_id, clientSecret: client.client_secret, tenant: client.tenants[0] })]
        : []),
      ...(config.smtp?.outbox ? [outboxRoutes(outboxDir(config))] : []),
    ],
    seed: (portvagt) => seedDemo(config, portvagt.accounts, portvagt.invitations),
  };
}
