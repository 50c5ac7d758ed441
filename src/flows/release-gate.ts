import { meets, NSIS_LEVELS, strictest, type NsisLevel } from '../assurance.ts';
import type { ErrorCode } from '../errors/catalogue.ts';

/**
 * The one decision before a code reaches a system (docs/flows.md, "Release rules"): may this account,
 * reached by this upstream login on this path, be released to this client for this request? Pure: no
 * HTTP, no store, no clock of its own. Every path that ends in a code asks it (release.ts).
 */

/** What the system's authorization request asked of the login (OIDC Core 3.1.2.1, 5.5.1.1). */
export interface RequestedAuthentication {
  /** The lowest NSIS level the request accepts, from `acr_values` or the essential `acr` values. */
  level?: NsisLevel | undefined;
  /** The essential `acr` values (as levels): the ID token's `acr` must be one of them; none known: nothing satisfies. */
  essentialAcr?: NsisLevel[] | undefined;
  /** `max_age`, in seconds. */
  maxAge?: number | undefined;
  /** `prompt=login`: an upstream login made after the request started. */
  freshLogin: boolean;
  /** When the request reached Portvagt (ms since the epoch). */
  at: number;
}

export interface GateAccount {
  enabled: boolean;
  tenant: string;
  /** The employer's statement of whose account it is, as a keyed fingerprint (accounts/cpr.ts). */
  cprFingerprint?: string | null | undefined;
}

/** The CPR number the user typed on the CPR form, as Portvagt checked it during this login. */
export interface CprConfirmation {
  /** The typed number's fingerprint under the current CPR key. */
  fingerprint: string;
  /** The account's stored fingerprint the typed number matched (whatever key made it); null: it had none. */
  stored: string | null;
}

/** The upstream login being released: for a link flow, its verification login. */
export interface GateLogin {
  method: string;
  level?: NsisLevel | undefined;
  /** The CPR the upstream delivered, as its fingerprint under the current CPR key. */
  cprFingerprint?: string | undefined;
  cprConfirmation?: CprConfirmation | undefined;
  /** When the user authenticated at the upstream (ms since the epoch). */
  authTime: number;
}

export interface GatePolicy {
  minLevel: NsisLevel;
  requireCprMatch: boolean;
}

export interface GateClient extends GatePolicy {
  tenants: readonly string[];
  loginMethods: readonly string[];
}

export interface ReleaseInput {
  account: GateAccount;
  login: GateLogin;
  client: GateClient;
  tenant: GatePolicy & { id: string };
  request: RequestedAuthentication;
  /** A link flow: its verification may be used until `validUntil` (ms). */
  linkVerification?: { validUntil: number } | undefined;
  /** Whether the login's upstream is configured to deliver a CPR number (`provides_cpr`). */
  methodProvidesCpr: boolean;
  now: number;
}

/**
 * Every rule with the code a broken one gets, in the order they are checked: the first broken rule
 * names the page. Texts: `codes.<code>` (or its variant) in the locale files.
 */
export const RELEASE_RULES = {
  'account-enabled': { code: 6001, variant: 'disabled' },
  'account-in-tenant': { code: 6001 },
  'tenant-served': { code: 3008 },
  'method-allowed': { code: 5004 },
  'link-verification-fresh': { code: 4100 },
  'fresh-login': { code: 3005, variant: 'stale-login' },
  level: { code: 5502, variant: 'level' },
  'cpr-same-person': { code: 6001, variant: 'cpr-mismatch' },
  'cpr-delivered': { code: 3005, variant: 'cpr-missing' },
  'cpr-confirmable': { code: 6001, variant: 'cpr-unconfirmed' },
} as const satisfies Record<string, ReleaseRuleEntry>;

export type ReleaseRule = keyof typeof RELEASE_RULES;
export type ReleaseRuleEntry = { code: ErrorCode; variant?: string };

export type Decision =
  /** Release: the ID token's `acr` and `auth_time`, and the fingerprint the account keeps from now on. */
  | { kind: 'release'; acr: NsisLevel | undefined; authTime: number; storeCprFingerprint: string | undefined }
  /** The CPR rule needs the typed number: the CPR form compares it with `stored` and `delivered`. */
  | { kind: 'confirm-cpr'; stored: string | null; delivered: string | undefined }
  | { kind: 'refuse'; rule: ReleaseRule; detail: string; required?: NsisLevel | undefined; reached?: NsisLevel | undefined };

/** Clocks of upstreams and instances differ a little; a login this much "before" the request still counts as after it. */
export const CLOCK_SKEW_MS = 10_000;

const refuse = (rule: ReleaseRule, detail: string, extra: Partial<Extract<Decision, { kind: 'refuse' }>> = {}): Decision => ({ kind: 'refuse', rule, detail, ...extra });

/** The key id a fingerprint names (`<key id>:<mac>`); one without predates key ids. */
const keyOf = (fingerprint: string) => fingerprint.slice(0, Math.max(0, fingerprint.indexOf(':')));

/** Whether two fingerprints are of the same number: known only when one key made both. */
function sameCpr(a: string, b: string): boolean | undefined {
  const key = keyOf(a);
  return key !== '' && key === keyOf(b) ? a === b : undefined;
}

/** The `acr` the ID token carries: the level reached, or the highest essential value it meets (OIDC Core 5.5.1.1). */
function releasedAcr(reached: NsisLevel | undefined, essential: NsisLevel[] | undefined): NsisLevel | undefined {
  if (!essential || !reached) return reached;
  return [...NSIS_LEVELS].reverse().find((level) => essential.includes(level) && meets(reached, level));
}

type CprOutcome = { ok: true; store: string | undefined } | { ok: false; decision: Decision };

/**
 * The CPR rule: the person who logged in upstream is the person of the account's stored fingerprint.
 * A delivered CPR is compared with it; without one (or made by another CPR key) the typed number must
 * match it. An account with none yet takes the first fingerprint confirmed by both the upstream and
 * the typed number; an upstream that delivers none cannot confirm one.
 */
function cprRule(input: ReleaseInput): CprOutcome {
  const stored = input.account.cprFingerprint ?? null;
  const { cprFingerprint: delivered, cprConfirmation: typed } = input.login;
  const ask: CprOutcome = { ok: false, decision: { kind: 'confirm-cpr', stored, delivered } };
  const typedMatchesDelivered = !delivered || (typed !== undefined && sameCpr(typed.fingerprint, delivered) === true);
  if (stored) {
    const compared = delivered ? sameCpr(delivered, stored) : undefined;
    if (compared === false) return { ok: false, decision: refuse('cpr-same-person', 'the upstream delivered another CPR than the account has') };
    if (compared === true) return { ok: true, store: undefined };
    if (typed?.stored !== stored || !typedMatchesDelivered) return ask;
    // A fingerprint of a previous CPR key is re-made with the current one.
    return { ok: true, store: keyOf(stored) === keyOf(typed.fingerprint) ? undefined : typed.fingerprint };
  }
  if (!delivered) {
    return { ok: false, decision: input.methodProvidesCpr ? refuse('cpr-delivered', `${input.login.method} delivered no CPR`) : refuse('cpr-confirmable', `no stored CPR, and ${input.login.method} delivers none`) };
  }
  return typed && typedMatchesDelivered ? { ok: true, store: delivered } : ask;
}

export function decideRelease(input: ReleaseInput): Decision {
  const { account, login, client, tenant, request, now } = input;
  if (!account.enabled) return refuse('account-enabled', 'account disabled');
  if (account.tenant !== tenant.id) return refuse('account-in-tenant', `account of tenant ${account.tenant}`);
  if (!client.tenants.includes(tenant.id)) return refuse('tenant-served', `client does not serve ${tenant.id}`);
  if (!client.loginMethods.includes(login.method)) return refuse('method-allowed', `${login.method} not allowed for the client`);
  if (input.linkVerification && input.linkVerification.validUntil < now) return refuse('link-verification-fresh', 'link verification too old');
  if (request.freshLogin && login.authTime < request.at - CLOCK_SKEW_MS) return refuse('fresh-login', 'prompt=login, but the upstream login predates the request');
  if (request.maxAge !== undefined && now - login.authTime > request.maxAge * 1000 + CLOCK_SKEW_MS) return refuse('fresh-login', `upstream login older than max_age ${request.maxAge}`);
  const required = strictest(tenant.minLevel, client.minLevel, request.level ?? 'low');
  const acr = releasedAcr(login.level, request.essentialAcr);
  const reachedRequired = required === 'low' || (login.level !== undefined && meets(login.level, required));
  const levelMet = reachedRequired && (request.essentialAcr === undefined || acr !== undefined);
  if (!levelMet) return refuse('level', `login at ${login.level ?? 'no NSIS level'}, ${required} required`, { required, reached: login.level });
  let store: string | undefined;
  if (tenant.requireCprMatch || client.requireCprMatch) {
    const cpr = cprRule(input);
    if (!cpr.ok) return cpr.decision;
    store = cpr.store;
  }
  return { kind: 'release', acr, authTime: login.authTime, storeCprFingerprint: store };
}
