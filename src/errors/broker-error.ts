import { CATALOGUE, type ErrorCode } from './catalogue.ts';

/** What an upstream said, kept for the log and the audit event only: never rendered. */
export interface UpstreamReason {
  upstream: string;
  dialect: string;
  /** The dialect's own code (e.g. NemID `LOCK001`, HID `hid_failure=...`), if it gave one. */
  reason?: string;
  error?: string;
  description?: string;
}

export interface BrokerErrorOptions {
  /** Guidance key under `guidance.` in the locale files, from a dialect row. */
  guidance?: string;
  upstream?: UpstreamReason;
  /** Detail for the log (never shown to the user). */
  detail?: string;
  cause?: unknown;
}

/** The one error type flows throw: a catalogue code plus what the log and the page need. */
export class BrokerError extends Error {
  readonly code: ErrorCode;
  readonly guidance: string | undefined;
  readonly upstream: UpstreamReason | undefined;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, options: BrokerErrorOptions = {}) {
    super(`Portvagt error ${code}${options.detail ? `: ${options.detail}` : ''}`, { cause: options.cause });
    this.name = 'BrokerError';
    this.code = code;
    this.guidance = options.guidance;
    this.upstream = options.upstream;
    this.detail = options.detail;
  }

  get status(): number {
    return CATALOGUE[this.code].status;
  }
}
