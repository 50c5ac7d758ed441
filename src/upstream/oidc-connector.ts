import * as client from 'openid-client';
import { findCause, UpstreamUnreachableError } from '../errors/boundary-errors.ts';
import { BrokerError } from '../errors/broker-error.ts';
import type { Logger } from '../logger.ts';
import type { Connector, PendingUpstreamLogin, UpstreamIdentity } from './connector.ts';
import type { Dialect } from './dialects/dialect.ts';
import { pkceChallenge } from './pkce.ts';
import { translateErrorResponse, type ErrorAliases } from './dialects/index.ts';

export interface OidcConnectorOptions {
  id: string;
  displayName: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  acrValues?: string | undefined;
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
      const { issuer, clientId, clientSecret, timeoutMs } = this.options;
      const insecure = new URL(issuer).protocol === 'http:';
      this.configuration = client
        .discovery(new URL(issuer), clientId, { client_secret: clientSecret }, client.ClientSecretPost(clientSecret), {
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

  async ping(): Promise<void> {
    await this.discover();
  }

  async begin(): Promise<{ url: string; pending: PendingUpstreamLogin }> {
    const { config } = await this.discover();
    const pending: PendingUpstreamLogin = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
    };
    const parameters: Record<string, string> = {
      redirect_uri: this.options.callbackUrl,
      scope: this.options.scope,
      response_type: 'code',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: pkceChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    };
    if (this.options.acrValues) parameters.acr_values = this.options.acrValues;
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
    return {
      method: this.id,
      issuer,
      subject,
      acr: str(claims.acr),
      name: str(claims.name),
      givenName: str(claims.given_name),
      familyName: str(claims.family_name),
      email: str(claims.email),
      cpr: str(claims.cpr),
      cvr: str(claims.cvr),
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
