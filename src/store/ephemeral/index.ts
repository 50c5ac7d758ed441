import { join } from 'node:path';
import { systemClock, type Clock } from '../../clock.ts';
import type { EphemeralStore } from './ephemeral-store.ts';
import { MemoryStore } from './memory.ts';
import { RedisEphemeralStore } from './redis.ts';
import { SqliteEphemeralStore } from './sqlite.ts';
import { withTypedFailures } from './typed-failures.ts';
import { observedEphemeralStore, type StoreObserver } from '../store-observer.ts';

export type { EphemeralStore } from './ephemeral-store.ts';

export interface EphemeralStoreOptions {
  redisUrl?: string | undefined;
  redisPrefix?: string;
  /** Every Redis command's time limit (default REDIS_TIMEOUT_MS). */
  redisTimeoutMs?: number;
  dataDir: string;
  /** Decides expiry in the memory and SQLite stores (Redis expires keys on its own clock). */
  clock?: Clock;
  /** Told of every operation (the benchmark counts them per login). */
  observe?: StoreObserver | undefined;
}

/**
 * Redis when a URL is given, `memory` for throwaway runs, else an SQLite file beside the data. Every
 * failure of the store reaches the caller as StoreUnavailableError.
 */
export function openEphemeralStore(options: EphemeralStoreOptions): EphemeralStore {
  const store = withTypedFailures(openBackend(options));
  return options.observe ? observedEphemeralStore(store, options.observe) : store;
}

function openBackend(options: EphemeralStoreOptions): EphemeralStore {
  const clock = options.clock ?? systemClock;
  if (options.redisUrl === 'memory') return new MemoryStore(clock);
  if (options.redisUrl) return new RedisEphemeralStore(options.redisUrl, options.redisPrefix, options.redisTimeoutMs);
  return new SqliteEphemeralStore(join(options.dataDir, 'ephemeral.db'), { clock });
}
