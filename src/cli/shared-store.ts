import type { Config } from '../config/model.ts';
import { openEphemeralStore, type EphemeralStore } from '../store/ephemeral/index.ts';
import { UsageError } from './usage-error.ts';

/** The running instances' ephemeral store (Redis, or the embedded SQLite file): notices and sessions live there. */
export async function withStore<T>(config: Config, use: (store: EphemeralStore) => Promise<T>): Promise<T> {
  if (config.storage.redis_url === 'memory') throw new UsageError('storage.redis_url is "memory": the instances\' state lives only in their processes; use Redis or the SQLite default');
  const store = openEphemeralStore({ redisUrl: config.storage.redis_url, redisPrefix: config.storage.redis_prefix, redisTimeoutMs: config.storage.redis_timeout_ms, dataDir: config.storage.data_dir });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}
