import type { Action } from '../actions.ts';
import type { NsisLevel } from '../assurance.ts';
import type { BrokerError } from '../errors/broker-error.ts';
import type { ErrorCode } from '../errors/catalogue.ts';

/**
 * What one handled request of a login ended in: a closed union, recorded once by the journal
 * (journal.ts) as a reference, an audit record, a metric and a log line. A step handler says which;
 * it never writes any of the four itself (docs/architecture.md, "Outcomes").
 */
export type Outcome =
  /** A login released to the system (login, first-time login, or a link flow's finish). */
  | { kind: 'logged-in'; action: Action; method: string; accountId: string; level?: NsisLevel | undefined }
  /** A login of the browser's session released to another system without a new upstream login. */
  | { kind: 'sso-released'; method: string; accountId: string; level?: NsisLevel | undefined }
  /** An upstream login began a single sign-on session in this browser. */
  | { kind: 'session-started'; method: string; accountId: string }
  /** The user logged out of a session's systems (RP-initiated logout, or the account page): that broker session ended. */
  | { kind: 'logged-out'; accountId: string; systems: readonly string[] }
  /** A link flow added a login method to the account it verified. */
  | { kind: 'method-linked'; method: string; accountId: string }
  /** The account holder removed a login method on the account page. */
  | { kind: 'method-removed'; method: string; accountId: string }
  /** The user cancelled at the upstream; the flow goes on at the chooser or the link page. */
  | { kind: 'cancelled'; method: string }
  /** A typed CPR number did not match; the form asks again until its last try. */
  | { kind: 'cpr-mismatch'; method: string; accountId: string; attempt: number }
  /** The first-time login form refused what was typed and is shown again with its code (5007). */
  | { kind: 'refused'; code: ErrorCode; method: string; reason: string }
  /** A request ended on an error page with its code. */
  | { kind: 'failed'; error: BrokerError; method?: string | undefined; accountId?: string | undefined };

export type OutcomeKind = Outcome['kind'];

/**
 * How each kind counts (a login, a failure: it has a code, or neither), the result its audit record
 * keeps, and its log message.
 */
export const OUTCOME_KINDS: Record<OutcomeKind, { counts: 'login' | 'failure' | 'other'; result: 'success' | 'failure'; message: string }> = {
  'logged-in': { counts: 'login', result: 'success', message: 'login released to the system' },
  'sso-released': { counts: 'login', result: 'success', message: 'login of the session released to the system (single sign-on)' },
  'session-started': { counts: 'other', result: 'success', message: 'single sign-on session started' },
  'logged-out': { counts: 'other', result: 'success', message: 'logged out of the session' },
  'method-linked': { counts: 'other', result: 'success', message: 'login method linked' },
  'method-removed': { counts: 'other', result: 'success', message: 'login method removed by the account holder' },
  cancelled: { counts: 'other', result: 'failure', message: 'the user cancelled at the upstream' },
  'cpr-mismatch': { counts: 'other', result: 'failure', message: 'typed CPR number did not match' },
  refused: { counts: 'failure', result: 'failure', message: 'first-time login refused' },
  failed: { counts: 'failure', result: 'failure', message: 'flow failed' },
};

/** The error code an outcome carries, where it has one. */
export function codeOf(outcome: Outcome): ErrorCode | undefined {
  if (outcome.kind === 'failed') return outcome.error.code;
  return outcome.kind === 'refused' ? outcome.code : undefined;
}
