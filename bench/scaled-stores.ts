/** The PostgreSQL and Redis servers the benchmark's Redis + PostgreSQL runs use, and their clean-up. */
import { Redis } from 'ioredis';

export const ADMIN_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Removes every key a run left under its prefix. */
export async function clearRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 1000 }) as AsyncIterable<string[]>) {
    if (keys.length) await redis.del(...keys);
  }
  await redis.quit();
}
