import { createRequire } from 'node:module';
import type * as Ioredis from 'ioredis';
import type { EphemeralStore } from './ephemeral-store.ts';

/** ioredis is loaded only when Redis is configured: the embedded default saves its ~10 MB of RSS. */
const loadIoredis = () => createRequire(import.meta.url)('ioredis') as typeof Ioredis;

/**
 * Adds a member to a set and keeps the set alive as long as its longest-lived member: one command
 * (a script) instead of a MULTI of four, on every code and token oidc-provider stores.
 */
const ADD_TO_SET = `redis.call('SADD', KEYS[1], ARGV[1])
if redis.call('TTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return 1`;

type WithAddToSet = Ioredis.Redis & { addToSetWithTtl(key: string, member: string, ttlSeconds: number): Promise<number> };

const CONNECT_TIMEOUT_MS = 3000;

/** Shared by every instance when Portvagt is scaled out; Redis expires keys itself. */
export class RedisEphemeralStore implements EphemeralStore {
  private readonly redis: WithAddToSet;

  private readonly prefix: string;

  /** Pending until the first connection is made, refused or given up; then undefined. */
  private firstConnection: Promise<void> | undefined;

  constructor(url: string, prefix = 'portvagt:') {
    this.prefix = prefix;
    // Fail fast instead of queueing commands while Redis is away, so a request gets a 502 page at once.
    this.redis = new (loadIoredis().Redis)(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: CONNECT_TIMEOUT_MS, lazyConnect: false }) as WithAddToSet;
    this.redis.defineCommand('addToSetWithTtl', { numberOfKeys: 1, lua: ADD_TO_SET });
    this.redis.on('error', () => undefined);
    this.firstConnection = new Promise<void>((resolve) => {
      const settle = () => {
        clearTimeout(gaveUp);
        resolve();
      };
      const gaveUp = setTimeout(settle, CONNECT_TIMEOUT_MS);
      gaveUp.unref();
      // Connected, or refused: either way later commands answer at once.
      this.redis.once('ready', settle);
      this.redis.once('error', settle);
    }).then(() => {
      this.firstConnection = undefined;
    });
  }

  /**
   * The client, once its first connection is made: a short-lived caller (the CLI) sends its first
   * command at once, which would fail while still connecting. Later an absent Redis fails at once.
   */
  private async client(): Promise<WithAddToSet> {
    if (this.firstConnection) await this.firstConnection;
    return this.redis;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const redis = await this.client();
    const value = await redis.get(this.prefix + key);
    return value === null ? undefined : (JSON.parse(value) as T);
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    const redis = await this.client();
    await redis.set(this.prefix + key, JSON.stringify(value), 'EX', Math.max(1, Math.ceil(ttlSeconds)));
  }

  async take<T>(key: string): Promise<T | undefined> {
    const redis = await this.client();
    const value = await redis.getdel(this.prefix + key);
    return value === null ? undefined : (JSON.parse(value) as T);
  }

  async delete(key: string): Promise<void> {
    const redis = await this.client();
    await redis.del(this.prefix + key);
  }

  async addToSet(key: string, member: string, ttlSeconds: number): Promise<void> {
    const redis = await this.client();
    await redis.addToSetWithTtl(this.prefix + key, member, Math.max(1, Math.ceil(ttlSeconds)));
  }

  async members(key: string): Promise<string[]> {
    const redis = await this.client();
    return redis.smembers(this.prefix + key);
  }

  async increment(key: string, ttlSeconds: number, by = 1): Promise<number> {
    const redis = await this.client();
    const full = this.prefix + key;
    const results = await redis.multi().incrby(full, by).expire(full, Math.max(1, Math.ceil(ttlSeconds)), 'NX').exec();
    return Number(results?.[0]?.[1] ?? 1);
  }

  async ping(): Promise<void> {
    const redis = await this.client();
    await redis.ping();
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
