/**
 * The baseline: a bare oidc-provider (the version Portvagt uses) whose interaction finishes at once,
 * with the same client rules (PKCE, code flow), RS256 keys and ID token claims, no brokering. Its
 * state is in oidc-provider's in-memory adapter, or with `redisUrl` in Redis through Portvagt's own
 * adapter (the like-with-like comparison for Portvagt on Redis).
 */
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';
import { adapterFactory } from '../src/provider/adapter.ts';
import { RedisEphemeralStore } from '../src/store/ephemeral/redis.ts';
import { serveParent, settings } from './child.ts';

export interface BaselineSettings {
  port: number;
  client: { id: string; secret: string; redirectUri: string };
  redisUrl?: string;
  redisPrefix?: string;
}

const s = settings<BaselineSettings>('BENCH_BASELINE');
const store = s.redisUrl ? new RedisEphemeralStore(s.redisUrl, s.redisPrefix) : undefined;
const issuer = `http://127.0.0.1:${s.port}`;
const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const key: JWK = { ...(await exportJWK(privateKey)), kid: 'baseline', alg: 'RS256', use: 'sig' };

const configuration: Configuration = {
  ...(store ? { adapter: adapterFactory(store) } : {}),
  clients: [{ client_id: s.client.id, client_secret: s.client.secret, redirect_uris: [s.client.redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
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
