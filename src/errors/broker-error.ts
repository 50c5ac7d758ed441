import type { Advice } from './advice.ts';
import { CATALOGUE, type ErrorCode } from './catalogue.ts';

/** What an upstream said, kept for the log and the audit event only: never rendered. */
export interface UpstreamReason {
  upstream: string;
  dialect: string;
  /** The dialect's own code (e.g. NemID `LOCK001`, HID `hid_failure=...`), if it gave one. */
  reason?: string;
  /** The dialect row the reason was read as: itself, or the row an `error_aliases` entry names. */
  row?: string;
  error?: string;
  description?: string;
  /** The answer is the user's own cancel at the upstream (its dialect says so), not a failure. */
  userCancel?: true;
}

export interface BrokerErrorOptions {
  /** What the page advises, from a dialect row (guidance, retry, contact, links). */
  advice?: Advice;
  /** A wording of the code for one case, `codes.<code>.variants.<variant>` (6001 `disabled`, 6002 `link`). */
  variant?: string;
  upstream?: UpstreamReason;
  /** A level refusal: the NSIS level required and the one reached (`levels.<name>` in the locale files). */
  levels?: Levels | undefined;
  /** Detail for the log (never shown to the user). */
  detail?: string;
  /** Fields the log line adds for an operator, e.g. the claim names an upstream was read with. */
  logFields?: Readonly<Record<string, string>> | undefined;
  /** The account a refused login was for, where it is known: its holder sees the refusal among their recent logins. */
  accountId?: string | undefined;
  cause?: unknown;
}

export interface Levels {
  required: string;
  reached?: string | undefined;
}

/** The one error type flows throw: a catalogue code plus what the log and the page need. */
export class BrokerError extends Error {
  readonly code: ErrorCode;
  readonly advice: Advice | undefined;
  readonly variant: string | undefined;
  readonly upstream: UpstreamReason | undefined;
  readonly levels: Levels | undefined;
  readonly detail: string | undefined;
  readonly logFields: Readonly<Record<string, string>> | undefined;
  readonly accountId: string | undefined;

  constructor(code: ErrorCode, options: BrokerErrorOptions = {}) {
    super(`Portvagt error ${code}${options.detail ? `: ${options.detail}` : ''}`, { cause: options.cause });
    this.name = 'BrokerError';
    this.code = code;
    this.advice = options.advice;
    this.variant = options.variant;
    this.upstream = options.upstream;
    this.levels = options.levels;
    this.detail = options.detail;
    this.logFields = options.logFields;
    this.accountId = options.accountId;
  }

  /** The guidance key of the advice, if any (`guidance.<key>` in the locale files). */
  get guidance(): string | undefined {
    return this.advice?.guidance;
  }

  get status(): number {
    return CATALOGUE[this.code].status;
  }
}
