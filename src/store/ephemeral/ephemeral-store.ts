/**
 * Short-lived state with expiry: oidc-provider's models, flows (with the upstream login each waits for),
 * error records and counters. Values are JSON. Every instance of Portvagt must share one (Redis when scaled out).
 */
export interface EphemeralStore {
  get<T>(key: string): Promise<T | undefined>;
  /**
   * Stores a value; with `indexIn`, also adds its key to that set in the same step (oidc-provider's
   * codes and tokens, found by their grant to revoke them); the set lives as long as its longest-lived
   * member (Redis), or each member as long as its value (SQLite, memory).
   */
  set(key: string, value: unknown, ttlSeconds: number, indexIn?: string): Promise<void>;
  /** Reads and deletes in one step, so that a single-use value is used at most once. */
  take<T>(key: string): Promise<T | undefined>;
  delete(key: string): Promise<void>;
  members(key: string): Promise<string[]>;
  /** Counts in a window (rate limits, upstream answers): adds `by` (default 1), returns the new count. */
  increment(key: string, ttlSeconds: number, by?: number): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
