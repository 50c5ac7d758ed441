import type { ErrorCode } from '../../errors/catalogue.ts';

/** Broker codes an upstream's own reason can map to (see DESIGN.md, codes 5500–5502). */
export type DialectCode = Extract<ErrorCode, 5500 | 5501 | 5502>;

export interface DialectRow {
  code: DialectCode;
  /** Key under `guidance.` in every locale file: what this reason means for the user and what to do. */
  guidance: string;
  /**
   * The user cancelled at the upstream (pressed "Afbryd", rejected the request in their app). Not an
   * error: the flow goes back to its chooser with a notice and stays alive.
   */
  cancel?: true;
}

/**
 * How one kind of upstream reports failures on its authorization-response redirect: which callback
 * parameter carries its own reason, and the table from reason to broker code and guidance.
 */
export interface Dialect {
  readonly name: string;
  /** Every reason the upstream documents. */
  readonly rows: Readonly<Record<string, DialectRow>>;
  /** The upstream's own reason in an error callback, normalised to a key of `rows`; undefined if none. */
  reason(params: URLSearchParams): string | undefined;
  /** The callback parameters an upstream of this dialect sends for a reason (used by the mock upstreams). */
  encode(reason: string): Record<string, string>;
}
