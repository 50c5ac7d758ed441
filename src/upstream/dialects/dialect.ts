import type { Advice } from '../../errors/advice.ts';
import type { ErrorCode } from '../../errors/catalogue.ts';

/** Broker codes an upstream's own reason can map to (docs/error-codes.md, "Advice from the dialect row": codes 5500–5502). */
export type DialectCode = Extract<ErrorCode, 5500 | 5501 | 5502>;

/**
 * One upstream reason: its broker code plus the whole advice of its page (guidance, whether retrying
 * helps, whom to contact, links), so that the page cannot contradict itself.
 */
export interface DialectRow extends Advice {
  code: DialectCode;
  guidance: string;
  /**
   * The user cancelled at the upstream (pressed "Afbryd", rejected the request in their app). Not an
   * error: the flow goes back to its chooser with a notice and stays alive.
   */
  cancel?: true;
}

/**
 * How one kind of upstream reports failures on its authorization-response redirect: which callback
 * parameters carry its own reason, and the table from reason to broker code and advice.
 */
export interface Dialect {
  readonly name: string;
  /** Every reason the upstream documents. */
  readonly rows: Readonly<Record<string, DialectRow>>;
  /** The upstream's own reason in an error callback, normalised to a key of `rows`; undefined if none. */
  reason(params: URLSearchParams): string | undefined;
  /**
   * A reason as an operator writes it (an `error_aliases` key or value) in the form `reason()` gives,
   * e.g. NemID `lock-001` → `LOCK001`.
   */
  key(value: string): string;
  /** The callback parameters an upstream of this dialect sends for a reason (used by the mock upstreams). */
  encode(reason: string): Record<string, string>;
}
