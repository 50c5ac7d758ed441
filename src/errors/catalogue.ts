/**
 * Portvagt's own error codes. The guide fixes what each code means to a user; this table fixes
 * how the broker answers with it. Texts live in the locale files under `codes.<code>.*`.
 */
export const ERROR_CODES = [
  500, 501, 502, 3000, 3001, 3002, 3003, 3004, 3005, 3008, 4000, 4001, 4100, 5003, 5004, 5005, 5007,
  5500, 5501, 5502, 6000, 6001, 6002, 7000, 7001, 8000,
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorCategory = 'system' | 'request' | 'session' | 'upstream' | 'account' | 'configuration';

export interface CodeEntry {
  status: number;
  category: ErrorCategory;
  /** Starting the login again can help. */
  retry: boolean;
  /** An OAuth error response to the RP is meaningful (client and redirect URI are known good). */
  backToSystem: boolean;
}

export const CATALOGUE: Record<ErrorCode, CodeEntry> = {
  500: { status: 500, category: 'system', retry: true, backToSystem: true },
  501: { status: 502, category: 'system', retry: true, backToSystem: true },
  502: { status: 503, category: 'system', retry: true, backToSystem: true },
  3000: { status: 400, category: 'request', retry: false, backToSystem: true },
  3001: { status: 410, category: 'session', retry: true, backToSystem: true },
  3002: { status: 410, category: 'session', retry: true, backToSystem: true },
  3003: { status: 502, category: 'upstream', retry: true, backToSystem: true },
  3004: { status: 502, category: 'upstream', retry: true, backToSystem: true },
  3005: { status: 502, category: 'upstream', retry: true, backToSystem: true },
  3008: { status: 400, category: 'request', retry: false, backToSystem: true },
  4000: { status: 410, category: 'session', retry: true, backToSystem: true },
  4001: { status: 403, category: 'session', retry: true, backToSystem: true },
  // A link flow past its time cannot go on: the way on is to start it again from the system.
  4100: { status: 410, category: 'session', retry: false, backToSystem: true },
  5003: { status: 400, category: 'request', retry: false, backToSystem: true },
  5004: { status: 400, category: 'request', retry: false, backToSystem: true },
  5005: { status: 400, category: 'configuration', retry: false, backToSystem: false },
  5007: { status: 401, category: 'account', retry: true, backToSystem: true },
  5500: { status: 401, category: 'upstream', retry: true, backToSystem: true },
  5501: { status: 502, category: 'upstream', retry: true, backToSystem: true },
  5502: { status: 403, category: 'upstream', retry: true, backToSystem: true },
  6000: { status: 410, category: 'session', retry: true, backToSystem: true },
  6001: { status: 403, category: 'account', retry: false, backToSystem: true },
  6002: { status: 409, category: 'account', retry: false, backToSystem: true },
  7000: { status: 400, category: 'configuration', retry: false, backToSystem: false },
  7001: { status: 400, category: 'configuration', retry: false, backToSystem: false },
  8000: { status: 400, category: 'request', retry: false, backToSystem: false },
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'number' && Object.hasOwn(CATALOGUE, value);
}
