import { join } from 'node:path';
import { systemClock, type Clock } from '../../clock.ts';
import type { EphemeralStore } from './ephemeral-store.ts';
import { MemoryStore } from './memory.ts';
import { RedisEphemeralStore } from './redis.ts';
import { SqliteEphemeralStore } from './sqlite.ts';
import { withTypedFailures } from './typed-failures.ts';

export type { EphemeralStore } from './ephemeral-store.ts';

export interface EphemeralStoreOptions {
  redisUrl?: string | undefined;
  redisPrefix?: string;
  dataDir: string;
  /** Decides expiry in the memory and SQLite stores (Redis expires keys on its own clock). */
  clock?: Clock;
}

/**
 * Redis when a URL is given, `memory` for throwaway runs, else an SQLite file beside the data. Every
 * failure of the store reaches the caller as StoreUnavailableError.
 */
export function openEphemeralStore(options: EphemeralStoreOptions): EphemeralStore {
  const clock = options.clock ?? systemClock;
  if (options.redisUrl === 'memory') return withTypedFailures(new MemoryStore(clock));
  if (options.redisUrl) return withTypedFailures(new RedisEphemeralStore(options.redisUrl, options.redisPrefix));
  return withTypedFailures(new SqliteEphemeralStore(join(options.dataDir, 'ephemeral.db'), { clock }));
}
