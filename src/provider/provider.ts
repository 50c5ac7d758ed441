import type { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import Provider, { errors, interactionPolicy, type Configuration, type KoaContextWithOIDC, type ClientMetadata } from 'oidc-provider';
import type { AccountRepository } from '../accounts/accounts.ts';
import { NSIS_URIS } from '../assurance.ts';
import { clientBrand, type Client, type Config } from '../config/model.ts';
import { cookieSigningKeys } from '../crypto/derive-key.ts';
import { BrokerError } from '../errors/broker-error.ts';
import type { ErrorCode } from '../errors/catalogue.ts';
import type { ErrorResponder } from '../outcomes/error-page.ts';
import type { EphemeralStore } from '../store/ephemeral/ephemeral-store.ts';
import { toBrokerError } from '../errors/classify.ts';
import type { Logger } from '../logger.ts';
import { answerOutage } from '../ops/store-outage.ts';
import { flowUrl } from '../http/flow-url.ts';
import { adapterFactory } from './adapter.ts';
import { retryBackchannel, type BackchannelDeps, type LogoutClient } from './backchannel.ts';
import { backchannelFetch } from './backchannel-fetch.ts';
import { insecureSameSiteLax } from './insecure-cookies.ts';
import type { LogoutPages } from './logout.ts';
import { codeRedemption } from './code-redemption.ts';
import { OP_SURFACE, OP_SURFACE_FEATURES } from './discovery-surface.ts';
import { logProviderNotices } from './provider-notices.ts';
import { ACCESS_TOKEN_TTL, CODE_TTL, ID_TOKEN_TTL, sessionTtl } from './token-lifetimes.ts';

/** What the provider needs; the log and metrics also serve the back-channel retries. */
export interface ProviderDeps extends BackchannelDeps {
  config: Config;
  store: EphemeralStore;
  accounts: AccountRepository;
  jwks: { keys: object[] };
  fail: ErrorResponder;
  log: Logger;
  /** The logout pages, and the end of the broker session with oidc-provider's. */
  logout: LogoutPages;
  /** An authorization request answered from the broker session (flows/single-sign-on.ts): the login released, or why not. */
  silentRelease: (req: Request, clientId: string, params: Record<string, unknown>, providerAccountId: string | undefined) => Promise<{ released: ReleasedDetails } | 'login_required' | 'interaction_required'>;
}

export const MANAGEMENT_SCOPE = 'portvagt:manage';


/** The OIDC client metadata oidc-provider needs; Portvagt's own client settings stay in the config. */
function clientMetadata(client: Client): ClientMetadata {
  const grantTypes = ['authorization_code', ...(client.managementScopes.length ? ['client_credentials'] : [])];
  return {
    client_id: client.id,
    ...(client.secret ? { client_secret: client.secret } : {}),
    ...(client.jwks ? { jwks: client.jwks as ClientMetadata['jwks'] } : {}),
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    redirect_uris: [...client.redirectUris],
    post_logout_redirect_uris: [...client.postLogoutRedirectUris],
    ...(client.backchannelLogoutUri ? { backchannel_logout_uri: client.backchannelLogoutUri, backchannel_logout_session_required: true } : {}),
    grant_types: grantTypes,
    response_types: ['code'],
    scope: ['openid', 'profile', 'email', ...client.managementScopes].join(' '),
  };
}

/**
 * A known client's request lacks the address to return to (authorization: redirect_uri) or names one
 * not registered (logout: post_logout_redirect_uri). Without a client the client is what is missing.
 */
function returnAddressUnusable(ctx: KoaContextWithOIDC): boolean {
  const oidc = ctx.oidc as KoaContextWithOIDC['oidc'] | undefined;
  if (!oidc?.client) return false;
  if (oidc.route === 'authorization') return oidc.params?.redirect_uri === undefined;
  const uri = oidc.params?.post_logout_redirect_uri;
  return oidc.route === 'end_session' && typeof uri === 'string' && !oidc.client.postLogoutRedirectUriAllowed(uri);
}

/**
 * oidc-provider's errors, for requests that cannot be sent back to the RP, as Portvagt codes: by error
 * class and by what the request carried, never by the provider's wording. Anything that is not the
 * provider's own error (a store failure, a bug) is left to the classification every other throw gets.
 * A client that is configured but switched off is unknown to the provider, and gets its own code.
 */
export function providerErrorCode(ctx: KoaContextWithOIDC, error: Error, disabledClients: ReadonlySet<string> = new Set()): ErrorCode | undefined {
  if (error instanceof errors.SessionNotFound) return 3001;
  if (error instanceof errors.InvalidClient) return disabledClients.has(String(ctx.oidc?.params?.client_id)) ? 7001 : 7000;
  if (error instanceof errors.InvalidRedirectUri) return 5005;
  if (error instanceof errors.InvalidRequest) return returnAddressUnusable(ctx) ? 5005 : 3000;
  if (error instanceof errors.OIDCProviderError) return error.status >= 500 ? undefined : 3000;
  return undefined;
}

/** First-party clients: a release's grant covers exactly what the request asked for, with no consent screen. */
async function grantRequest(ctx: KoaContextWithOIDC, grant: InstanceType<Provider['Grant']>): Promise<InstanceType<Provider['Grant']>> {
  const { oidc } = ctx;
  grant.addOIDCScope([...(oidc.requestParamScopes ?? [])].filter((s) => s !== MANAGEMENT_SCOPE).join(' '));
  grant.addOIDCClaims([...(oidc.requestParamClaims ?? [])]);
  await grant.save();
  return grant;
}

/** A login as oidc-provider's session records it (flows/release.ts makes it). */
type ReleasedDetails = { accountId: string; acr?: string; amr: string[]; ts: number };

/**
 * Every authorization is released only through the release rules: by Portvagt's flow after a new
 * upstream login, or from the broker session (single sign-on), which is asked here first so that a
 * login it can release needs no interaction at all. oidc-provider's own session never releases a
 * login by itself. A `prompt=none` request the session cannot release ends with `login_required` or
 * `interaction_required`; any other goes to the flow.
 */
function loginPolicy(silentRelease: ProviderDeps['silentRelease']) {
  const { Check, base } = interactionPolicy;
  const policy = base();
  // One answer per request for both checks, which oidc-provider runs side by side.
  const silentAnswer = (ctx: KoaContextWithOIDC): Promise<string | undefined> => {
    const state = ctx.state as { portvagtSilent?: Promise<string | undefined> };
    const client = ctx.oidc.result?.login ? undefined : ctx.oidc.client;
    state.portvagtSilent ??= client ? silentRelease(ctx.req as Request, client.clientId, ctx.oidc.params as Record<string, unknown>, ctx.oidc.session?.accountId).then(async (answer) => {
      if (typeof answer === 'string') return answer;
      // Released without an interaction: the session records this login as a resume would, with the request's grant.
      const { grant, session } = ctx.oidc;
      if (!grant || !session) return 'login_required';
      const { accountId, acr, amr, ts } = answer.released;
      session.loginAccount({ accountId, acr, amr, loginTs: ts });
      await grantRequest(ctx, grant);
      session.ensureClientContainer(client.clientId);
      session.grantIdFor(client.clientId, grant.jti);
      return 'released';
    }) : Promise.resolve(undefined);
    return state.portvagtSilent;
  };
  const login = policy.get('login');
  login?.checks.add(new Check('portvagt_session', 'no single sign-on session can release this request', 'login_required', async (ctx) => (await silentAnswer(ctx)) === 'login_required'));
  login?.checks.add(
    new Check('portvagt_release', 'every authorization is released by the release rules', 'interaction_required', async (ctx) =>
      ctx.oidc.result?.login || (await silentAnswer(ctx)) === 'released' ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT,
    ),
  );
  return policy;
}


export function createProvider(deps: ProviderDeps): Provider {
  const { config } = deps;
  const clients = [...config.clients.values()];
  const disabled = new Set(clients.filter((c) => !c.enabled).map((c) => c.id));
  const redemption = codeRedemption(deps.store, deps.log);
  const levelClaim = config.tokens.level_claim;
  logProviderNotices(deps.log);

  const configuration: Configuration = {
    ...OP_SURFACE,
    adapter: adapterFactory(deps.store, redemption.deferConsume),
    clients: clients.filter((c) => c.enabled).map(clientMetadata),
    jwks: deps.jwks as Configuration['jwks'],
    fetch: backchannelFetch(clients),
    // `long` is the session cookie, which oidc-provider requires to be SameSite=None for POST to the
    // authorization endpoint (over plain http it goes out Lax: insecureSameSiteLax below).
    cookies: { keys: cookieSigningKeys(config.secrets.cookie_keys), long: { sameSite: 'none' } },
    pkce: { required: () => true },
    // OpenID Connect Core 3.1.2.1: the authorization endpoint takes POST as well as GET (so does logout).
    enableHttpPostMethods: true,
    responseTypes: ['code'],
    allowOmittingSingleRegisteredRedirectUri: false,
    extraParams: ['tenant', 'action', 'login_method'],
    scopes: ['openid', 'profile', 'email', MANAGEMENT_SCOPE],
    // The NSIS level the login reached, as its URI (the release rules set it): in `acr`, or only in
    // Portvagt's own `loa` claim, where `acr` is then never given (no acr values: oidc-provider drops it).
    acrValues: levelClaim === 'acr' ? [...NSIS_URIS] : [],
    // The level and amr ride on `openid` so every ID token says how the user logged in, requested or not.
    claims: {
      iss: null,
      sid: null,
      openid: ['sub', 'tenant', levelClaim, 'amr', 'auth_time'],
      profile: ['name', 'preferred_username'],
      email: ['email'],
    },
    // ID tokens carry the profile claims the client asked for, not only userinfo.
    conformIdTokenClaims: false,
    features: {
      ...OP_SURFACE_FEATURES,
      devInteractions: { enabled: false },
      // An essential `acr` is one way a system asks for a level (docs/flows.md); the release rules decide it.
      claimsParameter: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: deps.logout.logoutSource,
        // Without a post_logout_redirect_uri the user lands on Portvagt's own page, in their language.
        postLogoutSuccessSource: deps.logout.postLogoutSuccessSource,
      },
      // Every system of the session with a back-channel address hears of its end (Back-Channel Logout 1.0).
      backchannelLogout: { enabled: true },
      userinfo: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: false },
      revocation: { enabled: true },
    },
    // Codes and tokens do not depend on a login session, which Portvagt ends right after the code.
    expiresWithSession: () => false,
    ttl: {
      AuthorizationCode: CODE_TTL,
      AccessToken: ACCESS_TOKEN_TTL,
      ClientCredentials: 600,
      IdToken: ID_TOKEN_TTL,
      Interaction: 3600,
      Session: sessionTtl(config),
      // A grant is made anew for every authorization and backs only its code and access token: it need
      // not outlive them, and a longer life only fills the store (Redis keeps every one in memory).
      Grant: CODE_TTL + ACCESS_TOKEN_TTL,
    },
    interactions: {
      policy: loginPolicy(deps.silentRelease),
      url: (_ctx, interaction) => flowUrl(interaction.uid),
    },
    async findAccount(_ctx, sub, token) {
      // At the authorization endpoint and its resume oidc-provider only needs the session's account
      // named: the release rules read it there; the token and userinfo endpoints read it again here.
      if (!token) return { accountId: sub, claims: async () => ({ sub }) };
      const account = await deps.accounts.find(sub);
      if (!account || account.status !== 'active') return undefined;
      return {
        accountId: account.id,
        async claims() {
          return {
            sub: account.id,
            tenant: account.tenant,
            name: account.display_name,
            preferred_username: account.username,
            ...(account.email ? { email: account.email } : {}),
            // The authorization code keeps the login's level as its acr, whichever claim says it.
            ...(levelClaim === 'loa' && token && 'acr' in token && typeof token.acr === 'string' ? { loa: token.acr } : {}),
          };
        },
      };
    },
    // A grant is saved only for a login being released (the resume of an interaction); before it, the
    // flow decides, and an unsaved grant costs nothing. `prompt=none` fills its own (loginPolicy).
    async loadExistingGrant(ctx) {
      const { oidc } = ctx;
      if (!oidc.client || !oidc.session?.accountId || !oidc.result?.login) return undefined;
      return grantRequest(ctx, new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId }));
    },
    async renderError(ctx: KoaContextWithOIDC, out, error) {
      const client = ctx.oidc?.client ? config.clients.get(ctx.oidc.client.clientId) : undefined;
      const code = providerErrorCode(ctx, error, disabled);
      ctx.respond = false;
      // Koa has set the reason phrase of its own status (400 "Bad Request"); the page's answer sets its own.
      ctx.res.statusMessage = '';
      await deps.fail(ctx.req as Request, ctx.res as Response, code ? new BrokerError(code, { detail: `${out.error}: ${out.error_description ?? ''}` }) : error, {
        route: 'authorize',
        clientId: client?.id ?? (code === 7001 ? String(ctx.oidc.params?.client_id) : undefined),
        brand: clientBrand(client),
        uiLocales: typeof ctx.oidc?.params?.ui_locales === 'string' ? ctx.oidc.params.ui_locales : undefined,
      });
    },
  };

  const provider = new Provider(config.server.base_url, configuration);
  // A store failure inside the token or userinfo endpoint (Redis down, the database lost mid-request)
  // is an outage the RP can retry: 503 temporarily_unavailable, logged at error level with a reference.
  provider.on('server_error', (ctx: KoaContextWithOIDC, error: Error) => {
    if (toBrokerError(error).code === 502) ctx.state.portvagtStoreFailure = error;
  });
  provider.use(async (ctx, next) => {
    await next();
    const failure: unknown = ctx.state.portvagtStoreFailure;
    if (failure && ctx.status === 500) answerOutage(ctx, deps.log, failure);
  });
  provider.use(redemption.middleware);
  provider.use(insecureSameSiteLax);
  // Reads X-Forwarded-* only as app.ts rewrites them: Express's view under server.trust_proxy.
  provider.proxy = true;
  // The broker session knows oidc-provider's by its uid (which, unlike its id, a resume keeps), to end it with its own.
  provider.on('authorization.success', (ctx: KoaContextWithOIDC) => {
    const record = (ctx.req as Request).session?.sso;
    if (record && ctx.oidc.session && record.providerSession !== ctx.oidc.session.uid) record.providerSession = ctx.oidc.session.uid;
  });
  // Marked synchronously here, acted on below once oidc-provider has finished the logout.
  provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
    ctx.state.portvagtLogout = { everywhere: ctx.oidc.params?.logout !== undefined, clientId: ctx.oidc.client?.clientId, accountId: ctx.oidc.session?.accountId };
  });
  provider.use(async (ctx, next) => {
    await next();
    const ended = ctx.state.portvagtLogout as Parameters<LogoutPages['afterLogout']>[1] | undefined;
    if (ended) await deps.logout.afterLogout(ctx as unknown as KoaContextWithOIDC, ended);
  });
  // An event oidc-provider emits that its type definitions leave out.
  (provider as unknown as EventEmitter).on('backchannel.error', (_ctx: unknown, error: Error, client: LogoutClient, accountId: string, sid: string) => retryBackchannel(deps, client, accountId, sid, error));
  return provider;
}
