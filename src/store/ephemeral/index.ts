import { join } from 'node:path';
import type { EphemeralStore } from './ephemeral-store.ts';
import { MemoryStore } from './memory.ts';
import { RedisEphemeralStore } from './redis.ts';
import { SqliteEphemeralStore } from './sqlite.ts';

export type { EphemeralStore } from './ephemeral-store.ts';

/** Redis when a URL is given, `memory` for throwaway runs, else an SQLite file beside the data. */
export function openEphemeralStore(options: { redisUrl?: string | undefined; redisPrefix?: string; dataDir: string }): EphemeralStore {
  if (options.redisUrl === 'memory') return new MemoryStore();
  if (options.redisUrl) return new RedisEphemeralStore(options.redisUrl, options.redisPrefix);
  return new SqliteEphemeralStore(join(options.dataDir, 'ephemeral.db'));
}
