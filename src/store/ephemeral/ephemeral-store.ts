/**
 * Short-lived state with expiry: oidc-provider's models, flows (with the upstream login each waits for),
 * error records and counters. Values are JSON. Every instance of Portvagt must share one (Redis when scaled out).
 */
export interface EphemeralStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  /** Reads and deletes in one step, so that a single-use value is used at most once. */
  take<T>(key: string): Promise<T | undefined>;
  delete(key: string): Promise<void>;
  /** Adds a member to a set that expires with its newest member. */
  addToSet(key: string, member: string, ttlSeconds: number): Promise<void>;
  members(key: string): Promise<string[]>;
  /** Counts in a window (rate limits, upstream answers): adds `by` (default 1), returns the new count. */
  increment(key: string, ttlSeconds: number, by?: number): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
