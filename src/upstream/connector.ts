/**
 * The whole contract between flows and an upstream identity provider (like dex's connectors):
 * start a login, and turn the callback into an identity or a BrokerError. Flows see nothing else.
 */

/** Secrets a login keeps on the server between redirect and callback. */
export interface PendingUpstreamLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface UpstreamIdentity {
  method: string;
  issuer: string;
  subject: string;
  acr?: string | undefined;
  name?: string | undefined;
  givenName?: string | undefined;
  familyName?: string | undefined;
  email?: string | undefined;
  /** Only held in memory for a CPR match; never stored or logged. */
  cpr?: string | undefined;
  cvr?: string | undefined;
}

export interface Connector {
  readonly id: string;
  readonly displayName: string;
  readonly providesCpr: boolean;
  /** The URL to send the browser to, plus what must be kept server-side until the callback. */
  begin(): Promise<{ url: string; pending: PendingUpstreamLogin }>;
  /** Validates the callback (state, iss, code exchange, ID token) and returns who logged in; throws BrokerError. */
  complete(callbackQuery: URLSearchParams, pending: PendingUpstreamLogin): Promise<UpstreamIdentity>;
  /** Resolves when the upstream's discovery document can be fetched (readiness). */
  ping(): Promise<void>;
}
