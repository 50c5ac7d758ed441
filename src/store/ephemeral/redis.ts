import { Redis } from 'ioredis';
import type { EphemeralStore } from './ephemeral-store.ts';

/** Shared by every instance when Portvagt is scaled out; Redis expires keys itself. */
export class RedisEphemeralStore implements EphemeralStore {
  private readonly redis: Redis;

  private readonly prefix: string;

  constructor(url: string, prefix = 'portvagt:') {
    this.prefix = prefix;
    // Fail fast instead of queueing commands while Redis is away, so a request gets a 502 page at once.
    this.redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 3000, lazyConnect: false });
    this.redis.on('error', () => undefined);
  }

  async get<T>(key: string): Promise<T | undefined> {
    const value = await this.redis.get(this.prefix + key);
    return value === null ? undefined : (JSON.parse(value) as T);
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.prefix + key, JSON.stringify(value), 'EX', Math.max(1, Math.ceil(ttlSeconds)));
  }

  async take<T>(key: string): Promise<T | undefined> {
    const value = await this.redis.getdel(this.prefix + key);
    return value === null ? undefined : (JSON.parse(value) as T);
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async addToSet(key: string, member: string, ttlSeconds: number): Promise<void> {
    const full = this.prefix + key;
    const ttl = Math.max(1, Math.ceil(ttlSeconds));
    // GT keeps the longest expiry among members (Redis 7); NX covers the set's first member.
    await this.redis.multi().sadd(full, member).expire(full, ttl, 'NX').expire(full, ttl, 'GT').exec();
  }

  async members(key: string): Promise<string[]> {
    return this.redis.smembers(this.prefix + key);
  }

  async increment(key: string, ttlSeconds: number): Promise<number> {
    const full = this.prefix + key;
    const results = await this.redis.multi().incr(full).expire(full, Math.max(1, Math.ceil(ttlSeconds)), 'NX').exec();
    return Number(results?.[0]?.[1] ?? 1);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
