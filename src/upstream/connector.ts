import type { NsisLevel } from '../assurance.ts';
import type { IdentityClaim } from './profiles/profile.ts';

/**
 * The whole contract between flows and an upstream identity provider (like dex's connectors):
 * start a login, and turn the callback into an identity or a BrokerError. Flows see nothing else.
 */

/** What the request that starts an upstream login asks of it. */
export interface UpstreamRequest {
  /** The `state` to send, made by the flow: the callback finds the flow again by it. */
  state: string;
  /** The user's language (`da`, `en`), passed in the broker's language parameter. */
  locale?: string | undefined;
  /** The relying party's `login_hint`, passed on as it came. */
  loginHint?: string | undefined;
  /** The NSIS level the tenant, client and request require, asked for the profile's way (the release rules check it). */
  minLevel: NsisLevel;
  /** The system's `prompt=login` and `max_age`, passed on: a MitID broker keeps a session of its own. */
  reauthenticate?: { prompt: boolean; maxAge?: number | undefined } | undefined;
}

/** What a login keeps on the server between redirect and callback: its state and secrets. */
export interface PendingUpstreamLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface UpstreamIdentity {
  method: string;
  issuer: string;
  subject: string;
  /** The NSIS level the upstream reports for this login, in its profile's spelling turned neutral. */
  level?: NsisLevel | undefined;
  /** When the user authenticated (ms), where the ID token says (`auth_time`). */
  authTime?: number | undefined;
  /** The authenticators the upstream names (e.g. `code_app`), where it names any. */
  amr?: string[] | undefined;
  name?: string | undefined;
  givenName?: string | undefined;
  familyName?: string | undefined;
  email?: string | undefined;
  /** Only held in memory for a CPR match; never stored or logged. */
  cpr?: string | undefined;
  cvr?: string | undefined;
  /** The person's MitID UUID, MitID Erhverv's RID and persistent professional id, where delivered. */
  uuid?: string | undefined;
  rid?: string | undefined;
  professionalId?: string | undefined;
  birthdate?: string | undefined;
}

export interface Connector {
  readonly id: string;
  readonly displayName: string;
  readonly providesCpr: boolean;
  /** The URL to send the browser to, plus what must be kept server-side until the callback. */
  begin(request: UpstreamRequest): Promise<{ url: string; pending: PendingUpstreamLogin }>;
  /**
   * Validates the callback (state, iss, code exchange, ID token) and returns who logged in, at which
   * level and when; throws BrokerError. Whether that login may be used is the release rules' decision.
   */
  complete(callbackQuery: URLSearchParams, pending: PendingUpstreamLogin): Promise<UpstreamIdentity>;
  /** The claim names a field is read from, for an operator's log line when a needed one is missing. */
  claimNames(field: IdentityClaim): readonly string[];
}
