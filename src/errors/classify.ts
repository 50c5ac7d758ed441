import { BrokerError } from './broker-error.ts';

// Connection-level failures and server states of PostgreSQL (classes 08, 53, 57), SQLite and Redis.
const STORE_ERROR = /^(08|53|57)[0-9A-Z]{3}$|^SQLITE_|^ECONNREFUSED$|^ECONNRESET$|^ETIMEDOUT$|^EPIPE$/;

function isStoreFailure(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && STORE_ERROR.test(e.code)) return true;
  if (e.name === 'MaxRetriesPerRequestError') return true;
  return typeof e.message === 'string' && /Stream isn't writeable|Connection is closed|Connection terminated|timeout exceeded when trying to connect/i.test(e.message);
}

/** Every thrown thing becomes a catalogue code: known ones keep theirs, store failures 502, the rest 500. */
export function toBrokerError(error: unknown): BrokerError {
  if (error instanceof BrokerError) return error;
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (isStoreFailure(error) || isStoreFailure(cause)) return new BrokerError(502, { detail: 'store failure', cause: error });
  return new BrokerError(500, { detail: 'unexpected error', cause: error });
}
