/**
 * Mock upstream identity providers (MitID, MitID Erhverv, NemID, 2FA) for development, tests and the
 * benchmark. Each is a real OpenID Provider (oidc-provider): discovery, JWKS, code flow with PKCE
 * S256, ID tokens carrying the picked test identity's claims and `acr`, and RFC 9207 `iss` on every
 * authorization response. Its one page lets the user pick a test identity or make it fail with any
 * reason of its dialect. Every request must log in again (no SSO) and consent is implicit.
 *
 * Shaped by a broker profile (default `generic-oidc`), it speaks like that broker: the claim names,
 * the level's spelling and claims, and, where the broker does so, no `iss` on its redirects and none
 * advertised in its discovery document. Each client can be held to one token endpoint authentication
 * method (`client_secret_basic`, `client_secret_post` or `private_key_jwt` with its public JWK).
 *
 * Non-interactive use: an authorization request with `login_hint=<subject>` of a test identity is
 * logged in without showing the page, and `login_hint=fail:<reason>` fails with that reason.
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import Provider, { errors, interactionPolicy, type AdapterFactory, type AdapterPayload, type ClientMetadata, type JWK, type KoaContextWithOIDC } from 'oidc-provider';
import type { Dialect } from '../upstream/dialects/dialect.ts';
import { genericOidc } from '../upstream/profiles/generic-oidc.ts';
import type { BrokerProfile } from '../upstream/profiles/profile.ts';
import { MOCK_IDENTITIES, findIdentity, type MockIdentity, type UpstreamKind } from './mock-identities.ts';
import { shapeIdentity, type ShapedIdentity } from './mock-profile.ts';
import { renderLoginPage, renderMessagePage } from './views/mock-login-page.ts';
import { cspNonce } from '../http/csp.ts';

/** Plain OAuth errors the mock can answer with besides its dialect's reasons. */
export const OAUTH_ERRORS: readonly string[] = ['access_denied', 'login_required', 'server_error', 'temporarily_unavailable'];

export interface MockClient {
  client_id: string;
  /** How the client must authenticate at the token endpoint (default: a secret, by header or body). */
  token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | undefined;
  client_secret?: string | undefined;
  /** The client's public keys, for private_key_jwt. */
  jwks?: { keys: object[] } | undefined;
  redirect_uris: string[];
}

export interface MockUpstreamOptions {
  /** Short name, e.g. 'mitid'; shown on the page and part of the mock's cookie names. */
  name: string;
  kind: UpstreamKind;
  dialect: Dialect;
  /** The issuer URL; its path is where the mock must be mounted. */
  issuer: string;
  clients: MockClient[];
  /** The broker this mock looks like (default `generic-oidc`). */
  profile?: BrokerProfile | undefined;
  /** Trust X-Forwarded-* (behind a TLS proxy). */
  proxy?: boolean;
}

export interface MockUpstream {
  readonly issuer: string;
  /** The issuer's path without a trailing slash ('' at the origin root): the mount prefix. */
  readonly path: string;
  readonly provider: Provider;
  /** The interaction page and the provider's endpoints, to mount at `path`. */
  readonly router: Router;
  mount(app: Express): void;
}

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

export function createMockUpstream(options: MockUpstreamOptions): MockUpstream {
  const { name, kind, dialect, issuer } = options;
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`mock upstream name must be [a-z0-9-]+: ${name}`);
  const path = new URL(issuer).pathname.replace(/\/$/, '');
  const identities = MOCK_IDENTITIES[kind];
  const profile = options.profile ?? genericOidc;
  const shaped = new Map<string, ShapedIdentity>(identities.map((identity) => [identity.sub, shapeIdentity(profile, identity)]));
  const claimNames = [...new Set([...shaped.values()].flatMap((s) => Object.keys(s.claims)))];
  const acrValues = [...new Set([...shaped.values()].flatMap((s) => (s.acr ? [s.acr] : [])))];
  const requiredAuth = new Map(options.clients.map((c) => [c.client_id, c.token_endpoint_auth_method]));

  const policy = interactionPolicy.base();
  policy.remove('consent');
  policy.get('login')!.checks.add(
    new interactionPolicy.Check('mock_fresh_login', 'the mock asks for a login on every request', (ctx) => !ctx.oidc.result?.login),
  );

  const provider = new Provider(issuer, {
    clients: options.clients.map((client) => ({
      ...client,
      token_endpoint_auth_method: client.token_endpoint_auth_method ?? 'client_secret_basic',
      // Every ID token says when the user authenticated, as the MitID brokers' do.
      require_auth_time: true,
      grant_types: ['authorization_code'],
      response_types: ['code'],
    })) as ClientMetadata[],
    jwks: { keys: [signingKey()] },
    adapter: memoryAdapter(),
    // Several mocks and Portvagt itself may share an origin: own cookie names, scoped to the mock's path.
    cookies: {
      names: { session: `_${name}_session`, interaction: `_${name}_interaction`, resume: `_${name}_resume` },
      long: { httpOnly: true, sameSite: 'lax', path: path || '/' },
      short: { httpOnly: true, sameSite: 'lax' },
      keys: [randomBytes(32).toString('base64url')],
    },
    findAccount: (_ctx, sub) => {
      const identity = shaped.get(sub);
      return identity && { accountId: sub, claims: () => ({ sub, ...identity.claims }) };
    },
    // Every claim, `acr` and `amr` too, rides on the `openid` scope and goes into the ID token, as the upstreams do.
    claims: { acr: null, auth_time: null, sid: null, iss: null, openid: ['sub', 'acr', 'amr', ...claimNames] },
    conformIdTokenClaims: false,
    acrValues,
    loadExistingGrant: async (ctx) => {
      if (!ctx.oidc.result?.login) return undefined;
      // Implicit consent: a fresh grant for exactly what this request asks.
      const grant = new ctx.oidc.provider.Grant({ accountId: ctx.oidc.session!.accountId, clientId: ctx.oidc.client!.clientId });
      grant.addOIDCScope(String(ctx.oidc.params!.scope));
      await grant.save();
      return grant;
    },
    interactions: { policy, url: (_ctx, interaction) => `${path}/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
    responseTypes: ['code'],
    pkce: { required: () => true },
    // A failure redirect needs the redirect URI from the request itself.
    allowOmittingSingleRegisteredRedirectUri: false,
    expiresWithSession: () => false,
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
  });
  provider.proxy = options.proxy ?? false;
  // Like the real upstreams in a test, every login is fresh: no session survives the code, so one
  // browser can log in as different identities in two tabs without a "switch account" detour.
  provider.on('authorization.success', (ctx: KoaContextWithOIDC) => {
    if (ctx.oidc.session) (ctx.oidc.session as { destroyed?: boolean }).destroyed = true;
  });

  provider.use(async (ctx, next) => {
    await next();
    // oidc-provider takes a client secret by header or body alike; a broker may insist on one. The
    // client is known only once oidc-provider has read the body, so a wrong way is refused afterwards.
    if (ctx.method === 'POST' && ctx.path === '/token' && ctx.status === 200) {
      const required = requiredAuth.get((ctx as KoaContextWithOIDC).oidc?.client?.clientId ?? '');
      const byHeader = ctx.get('authorization') !== '';
      if ((required === 'client_secret_basic' && !byHeader) || (required === 'client_secret_post' && byHeader)) {
        ctx.status = 401;
        ctx.body = { error: 'invalid_client', error_description: `this client must authenticate with ${required}` };
      }
    }
    if (!profile.issResponse && ctx.path === '/.well-known/openid-configuration' && ctx.body && typeof ctx.body === 'object') {
      delete (ctx.body as Record<string, unknown>).authorization_response_iss_parameter_supported;
    }
  });

  /** Logs the identity in; `ageSeconds` back-dates the authentication, as a broker's own session would. */
  const finish = (req: Request, res: Response, identity: MockIdentity, ageSeconds = 0) => {
    const { acr, amr } = shaped.get(identity.sub)!;
    const ts = Math.floor(Date.now() / 1000) - ageSeconds;
    return provider.interactionFinished(req, res, { login: { accountId: identity.sub, ts, ...(acr ? { acr } : {}), ...(amr ? { amr } : {}) } }, { mergeWithLastSubmission: false });
  };

  /** Sends the browser to the client with an error, exactly as a real upstream's error redirect. */
  const fail = async (res: Response, interaction: Interaction, reason: string, description: string) => {
    const target = new URL(String(interaction.params.redirect_uri));
    const { state } = interaction.params;
    const params = {
      ...errorParams(dialect, reason || 'access_denied', description),
      ...(typeof state === 'string' ? { state } : {}),
      ...(profile.issResponse ? { iss: provider.issuer } : {}),
    };
    for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
    await interaction.destroy();
    res.redirect(303, target.href);
  };

  const details = async (req: Request<{ uid: string }>, res: Response) => {
    const interaction = await provider.interactionDetails(req, res);
    if (interaction.uid !== req.params.uid) throw new errors.SessionNotFound('interaction cookie does not match the URL');
    return interaction;
  };

  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });

  router.get('/interaction/:uid', async (req, res) => {
    const interaction = await details(req, res);
    const hint = interaction.params.login_hint;
    if (typeof hint === 'string' && hint.startsWith('fail:')) return fail(res, interaction, hint.slice('fail:'.length), '');
    const hinted = typeof hint === 'string' ? findIdentity(kind, hint) : undefined;
    if (hinted) return finish(req, res, hinted);
    res.set('Cache-Control', 'no-store').type('html').send(renderLoginPage({
      title: `Mock ${name} (${kind})`,
      clientId: String(interaction.params.client_id),
      interactionPath: `${path}/interaction/${interaction.uid}`,
      identities,
      dialectReasons: Object.keys(dialect.rows).filter((reason) => !dialect.rows[reason]!.cancel),
      cancelReason: Object.keys(dialect.rows).find((reason) => dialect.rows[reason]!.cancel),
      oauthErrors: OAUTH_ERRORS,
      asked: ['prompt', 'max_age', 'acr_values', 'claims'].flatMap((key) => (typeof interaction.params[key] === 'string' ? [`${key}=${String(interaction.params[key])}`] : [])),
      nonce: cspNonce(res),
    }));
  });

  router.post('/interaction/:uid/login', form, async (req, res) => {
    await details(req, res);
    const identity = findIdentity(kind, field(req, 'identity'));
    if (!identity) {
      res.status(400).type('html').send(renderMessagePage('Unknown identity', `No test identity of kind ${kind} has that subject.`));
      return;
    }
    const age = Number(field(req, 'session_age'));
    await finish(req, res, identity, Number.isInteger(age) && age > 0 ? Math.min(age, 86_400) : 0);
  });

  router.post('/interaction/:uid/fail', form, async (req, res) => {
    const interaction = await details(req, res);
    await fail(res, interaction, field(req, 'reason'), field(req, 'error_description').trim().slice(0, 500));
  });

  router.use(provider.callback());

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!(err instanceof errors.SessionNotFound)) return next(err);
    res.status(400).type('html').send(renderMessagePage('Login not found', 'This login has expired or is already finished. Start again from the application.'));
  });

  return {
    issuer,
    path,
    provider,
    router,
    mount(app) {
      // At the root the provider answers (404) every path the app has not routed before it.
      app.use(path || '/', router);
    },
  };
}

/**
 * The error parameters for a reason: a plain OAuth error code as is, anything else (also a reason
 * the dialect does not know) through `dialect.encode`, whose parameters win over the defaults.
 */
export function errorParams(dialect: Dialect, reason: string, description: string): Record<string, string> {
  const described: Record<string, string> = description ? { error_description: description } : {};
  if (OAUTH_ERRORS.includes(reason) && !Object.hasOwn(dialect.rows, reason)) return { error: reason, ...described };
  return { error: 'access_denied', ...described, ...dialect.encode(reason) };
}

export interface RunningMockUpstream {
  readonly issuer: string;
  /** The server's origin, http://127.0.0.1:<port>. */
  readonly url: string;
  readonly upstream: MockUpstream;
  close(): Promise<void>;
}

/** Runs one mock on its own server at 127.0.0.1 and a free port; the issuer is the origin plus `path`. */
export async function startMockUpstream(
  options: Omit<MockUpstreamOptions, 'issuer'> & { path?: string },
): Promise<RunningMockUpstream> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const upstream = createMockUpstream({ ...options, issuer: `${url}${options.path ?? ''}` });
  const app = express();
  app.disable('x-powered-by');
  upstream.mount(app);
  server.on('request', app);
  return {
    issuer: upstream.issuer,
    url,
    upstream,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    }),
  };
}

function field(req: Request, name: string): string {
  const value: unknown = req.body?.[name];
  return typeof value === 'string' ? value : '';
}

/** A fresh RS256 key per start: fine for a mock, whose tokens only live as long as the process. */
function signingKey(): JWK {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' } as JWK;
}

/**
 * A memory store per mock. oidc-provider's built-in one is a 1000-entry LRU shared by every provider
 * in the process, which a benchmark or several mocks plus Portvagt would overflow.
 */
function memoryAdapter(): AdapterFactory {
  const entries = new Map<string, { payload: AdapterPayload; timer?: NodeJS.Timeout; uidKey?: string }>();
  const uids = new Map<string, string>();
  const remove = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    entries.delete(key);
    if (entry.uidKey) uids.delete(entry.uidKey);
  };
  return (model) => {
    const key = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        remove(key(id));
        const timer = expiresIn ? setTimeout(() => remove(key(id)), expiresIn * 1000).unref() : undefined;
        const uidKey = payload.uid ? `${model}:${payload.uid}` : undefined;
        entries.set(key(id), { payload, timer, uidKey });
        if (uidKey) uids.set(uidKey, key(id));
      },
      async find(id) {
        return entries.get(key(id))?.payload;
      },
      async findByUid(uid) {
        const found = uids.get(`${model}:${uid}`);
        return found === undefined ? undefined : entries.get(found)?.payload;
      },
      async findByUserCode() {
        return undefined;
      },
      async consume(id) {
        const entry = entries.get(key(id));
        if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        remove(key(id));
      },
      async revokeByGrantId(grantId) {
        for (const [entryKey, entry] of entries) if (entry.payload.grantId === grantId) remove(entryKey);
      },
    };
  };
}
