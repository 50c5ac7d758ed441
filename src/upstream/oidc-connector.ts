import * as client from 'openid-client';
import { signingCryptoKey } from '../crypto/client-key.ts';
import { findCause, UpstreamUnreachableError } from '../errors/boundary-errors.ts';
import { BrokerError } from '../errors/broker-error.ts';
import type { Logger } from '../logger.ts';
import type { Connector, PendingUpstreamLogin, UpstreamIdentity, UpstreamRequest } from './connector.ts';
import type { Dialect } from './dialects/dialect.ts';
import type { UpstreamAuth } from './method-config.ts';
import { pkceChallenge } from './pkce.ts';
import { translateErrorResponse, type ErrorAliases } from './dialects/index.ts';
import type { BrokerProfile, IdentityClaim } from './profiles/profile.ts';
import { amrOf, claimValue, levelOf } from './profiles/read.ts';

export interface OidcConnectorOptions {
  id: string;
  displayName: string;
  issuer: string;
  clientId: string;
  auth: UpstreamAuth;
  /** The broker profile with the upstream's overrides applied: claims, scope, level, language. */
  profile: BrokerProfile;
  providesCpr: boolean;
  /** Portvagt's exact callback URL for this upstream, from the public base URL (never the Host header). */
  callbackUrl: string;
  dialect: Dialect;
  /** The upstream's configured `error_aliases`, resolved against its dialect. */
  errorAliases?: ErrorAliases | undefined;
  timeoutMs: number;
  log: Logger;
  /** Makes every HTTP call to the upstream (discovery, token, JWKS); the metrics time it. */
  fetch: client.CustomFetch;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

function clientAuthentication(auth: UpstreamAuth): client.ClientAuth {
  switch (auth.method) {
    case 'client_secret_basic':
      return client.ClientSecretBasic(auth.secret);
    case 'client_secret_post':
      return client.ClientSecretPost(auth.secret);
    case 'private_key_jwt':
      return client.PrivateKeyJwt({ key: signingCryptoKey(auth.key), kid: auth.key.kid });
  }
}

/**
 * An error answer without `iss` for this browser's pending login: some brokers (Signaturgruppen's
 * cancel) send no `iss` on errors even where discovery requires it. Such an answer carries no code,
 * so it can only end the login, and its `state` shows it belongs to this one: the dialect translates
 * it. Everything else goes through openid-client's checks, so a success answer without a required
 * `iss`, and any answer with a wrong one, stays refused (RFC 9207).
 */
function isIssLessErrorFor(query: URLSearchParams, pending: PendingUpstreamLogin): boolean {
  return query.has('error') && !query.has('code') && !query.has('iss') && query.getAll('state').length === 1 && query.get('state') === pending.state;
}

/** What discovery found; the issuer is kept apart because `serverMetadata()` deep-copies the whole document. */
interface Discovered {
  config: client.Configuration;
  issuer: string;
}

/** One upstream OIDC identity provider through openid-client: PKCE S256, state, nonce, RFC 9207 `iss`. */
export class OidcConnector implements Connector {
  private configuration: Promise<Discovered> | undefined;

  private readonly options: OidcConnectorOptions;

  constructor(options: OidcConnectorOptions) {
    this.options = options;
  }

  get id(): string {
    return this.options.id;
  }

  get displayName(): string {
    return this.options.displayName;
  }

  get providesCpr(): boolean {
    return this.options.providesCpr;
  }

  /** Discovery once, retried on the next use if it failed (the upstream may come back). */
  private discover(): Promise<Discovered> {
    if (!this.configuration) {
      const { issuer, clientId, auth, timeoutMs } = this.options;
      const insecure = new URL(issuer).protocol === 'http:';
      const metadata = auth.method === 'private_key_jwt' ? undefined : { client_secret: auth.secret };
      this.configuration = client
        .discovery(new URL(issuer), clientId, metadata, clientAuthentication(auth), {
          timeout: Math.ceil(timeoutMs / 1000),
          // openid-client trusts a token endpoint's ID token without checking its signature unless told to.
          execute: [client.enableNonRepudiationChecks, ...(insecure ? [client.allowInsecureRequests] : [])],
          [client.customFetch]: this.options.fetch,
        })
        .then((config) => {
          config.timeout = Math.ceil(timeoutMs / 1000);
          return { config, issuer: config.serverMetadata().issuer };
        });
      this.configuration.catch(() => {
        this.configuration = undefined;
      });
    }
    return this.configuration.catch((error: unknown) => {
      throw new BrokerError(501, { detail: `discovery of ${this.options.id} failed`, cause: error });
    });
  }

  claimNames(field: IdentityClaim): readonly string[] {
    return this.options.profile.claims[field] ?? [];
  }

  async begin(request: UpstreamRequest): Promise<{ url: string; pending: PendingUpstreamLogin }> {
    const { config } = await this.discover();
    const { profile } = this.options;
    const pending: PendingUpstreamLogin = {
      state: request.state,
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
    };
    const parameters: Record<string, string> = {};
    if (profile.level.request) parameters[profile.level.request.parameter] = profile.level.request.values[request.minLevel];
    if (request.locale) parameters[profile.languageParameter] = request.locale;
    if (request.loginHint) parameters.login_hint = request.loginHint;
    if (request.reauthenticate?.prompt) parameters.prompt = 'login';
    if (request.reauthenticate?.maxAge !== undefined) parameters.max_age = String(request.reauthenticate.maxAge);
    // The protocol's own parameters last: no profile setting can replace them.
    Object.assign(parameters, {
      redirect_uri: this.options.callbackUrl,
      scope: profile.scope,
      response_type: 'code',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: pkceChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url: client.buildAuthorizationUrl(config, parameters).href, pending };
  }

  async complete(callbackQuery: URLSearchParams, pending: PendingUpstreamLogin): Promise<UpstreamIdentity> {
    const { config, issuer } = await this.discover();
    const currentUrl = new URL(this.options.callbackUrl);
    currentUrl.search = callbackQuery.toString();
    if (isIssLessErrorFor(callbackQuery, pending)) throw this.translateError(callbackQuery);
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw this.translate(error, callbackQuery);
    }
    const claims = tokens.claims();
    const subject = str(claims?.sub);
    if (!claims || !subject) throw new BrokerError(3005, { detail: `${this.id}: ID token without subject` });
    const { profile } = this.options;
    const level = levelOf(profile, claims);
    const read = (field: IdentityClaim) => claimValue(profile, claims, field);
    const amr = amrOf(profile, claims);
    return {
      method: this.id,
      issuer,
      subject,
      level,
      authTime: typeof claims.auth_time === 'number' ? claims.auth_time * 1000 : undefined,
      amr: amr.length ? amr : undefined,
      name: read('name'),
      givenName: read('given_name'),
      familyName: read('family_name'),
      email: read('email'),
      cpr: read('cpr'),
      cvr: read('cvr'),
      uuid: read('uuid'),
      rid: read('rid'),
      professionalId: read('professional_id'),
      birthdate: read('birthdate'),
    };
  }

  private translateError(callbackQuery: URLSearchParams): BrokerError {
    return translateErrorResponse(this.options.dialect, callbackQuery, this.id, this.options.log, this.options.errorAliases);
  }

  private translate(error: unknown, callbackQuery: URLSearchParams): BrokerError {
    if (error instanceof client.AuthorizationResponseError) return this.translateError(callbackQuery);
    if (findCause(error, UpstreamUnreachableError)) return new BrokerError(501, { detail: `${this.id}: upstream unreachable`, cause: error });
    if (error instanceof client.ResponseBodyError || error instanceof client.WWWAuthenticateChallengeError) {
      return new BrokerError(3004, { detail: `${this.id}: token endpoint refused the code (${error.status})`, cause: error });
    }
    const code = (error as { code?: string } | null)?.code ?? 'unknown';
    return new BrokerError(3005, { detail: `${this.id}: ${code} ${(error as Error)?.message ?? ''}`.slice(0, 300), cause: error });
  }
}
