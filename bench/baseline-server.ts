/**
 * The baseline: a bare oidc-provider (the version Portvagt uses) whose interaction finishes at once,
 * with the same clients and client rules (PKCE, code flow), RS256 keys and ID token claims, no
 * brokering. Its state is in oidc-provider's in-memory adapter, or with `ephemeral` in Portvagt's
 * ephemeral store through Portvagt's own adapter: an SQLite file or Redis, the like-with-like
 * comparison for Portvagt on the same store.
 */
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';
import { adapterFactory } from '../src/provider/adapter.ts';
import { openEphemeralStore } from '../src/store/ephemeral/index.ts';
import { serveParent, settings } from './child.ts';
import type { BenchClient } from './clients.ts';

export interface BaselineSettings {
  port: number;
  clients: BenchClient[];
  /** Where the state goes instead of memory: the SQLite file in `dataDir`, or Redis with `redisUrl`. */
  ephemeral?: { dataDir: string; redisUrl?: string; redisPrefix?: string };
}

const s = settings<BaselineSettings>('BENCH_BASELINE');
const store = s.ephemeral ? openEphemeralStore(s.ephemeral) : undefined;
const issuer = `http://127.0.0.1:${s.port}`;
const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const key: JWK = { ...(await exportJWK(privateKey)), kid: 'baseline', alg: 'RS256', use: 'sig' };

const configuration: Configuration = {
  ...(store ? { adapter: adapterFactory(store) } : {}),
  clients: s.clients.map((c) => ({ client_id: c.id, client_secret: c.secret, redirect_uris: [c.redirectUri], grant_types: ['authorization_code'], response_types: ['code'] })),
  jwks: { keys: [key] } as Configuration['jwks'],
  pkce: { required: () => true },
  responseTypes: ['code'],
  claims: { openid: ['sub', 'tenant', 'acr', 'amr', 'auth_time'], profile: ['name', 'preferred_username'], email: ['email'] },
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  // Portvagt's lifetimes; the bare provider keeps its own in-memory adapter.
  ttl: { AuthorizationCode: 60, AccessToken: 600, IdToken: 600, Interaction: 3600, Session: 8 * 3600, Grant: 8 * 3600 },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, tenant: 'bench', name: 'Bench User', preferred_username: 'bench.user' }) }),
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
    grant.addOIDCScope([...(ctx.oidc.requestParamScopes ?? [])].join(' '));
    await grant.save();
    return grant;
  },
};
const provider = new Provider(issuer, configuration);
const callback = provider.callback();
const server = createServer((req, res) => {
  if (!req.url?.startsWith('/interaction/')) return callback(req, res);
  provider
    .interactionFinished(req, res, { login: { accountId: 'bench-user', amr: ['pwd'] } }, { mergeWithLastSubmission: false })
    .catch(() => res.writeHead(400).end());
});
await new Promise<void>((resolve) => server.listen(s.port, '127.0.0.1', resolve));
serveParent(issuer, () => new Promise<void>((resolve) => {
  server.close(() => resolve());
  server.closeAllConnections();
}).then(() => store?.close()));
