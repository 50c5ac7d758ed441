import { findCause, StoreUnavailableError, UpstreamUnreachableError } from './boundary-errors.ts';
import { BrokerError } from './broker-error.ts';
import type { ErrorCode } from './catalogue.ts';

/** Boundary failures by type (the stores and the upstream client type them where they enter): code and log detail. */
const BY_TYPE: [abstract new (...args: never[]) => Error, ErrorCode, string][] = [
  [StoreUnavailableError, 502, 'store failure'],
  [UpstreamUnreachableError, 501, 'upstream unreachable'],
];

/** Every thrown thing becomes a catalogue code: known ones keep theirs, typed boundary failures theirs, the rest 500. */
export function toBrokerError(error: unknown): BrokerError {
  if (error instanceof BrokerError) return error;
  for (const [type, code, detail] of BY_TYPE) if (findCause(error, type)) return new BrokerError(code, { detail, cause: error });
  return new BrokerError(500, { detail: 'unexpected error', cause: error });
}
