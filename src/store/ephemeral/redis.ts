import { createRequire } from 'node:module';
import type * as Ioredis from 'ioredis';
import type { EphemeralStore } from './ephemeral-store.ts';

/** ioredis is loaded only when Redis is configured: the embedded default saves its ~10 MB of RSS. */
const loadIoredis = () => createRequire(import.meta.url)('ioredis') as typeof Ioredis;

/**
 * Sets a value and adds its key (unprefixed, ARGV[3]) to a set that lives as long as its longest-lived
 * member: one command (a script) instead of a SET and a MULTI of four, on every code and token
 * oidc-provider stores.
 */
const SET_INDEXED = `redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
if redis.call('TTL', KEYS[2]) < tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
return 1`;

type WithSetIndexed = Ioredis.Redis & { setIndexed(key: string, set: string, value: string, ttlSeconds: number, member: string): Promise<number> };

const CONNECT_TIMEOUT_MS = 3000;

/** Shared by every instance when Portvagt is scaled out; Redis expires keys itself. */
export class RedisEphemeralStore implements EphemeralStore {
  private readonly redis: WithSetIndexed;

  private readonly prefix: string;

  /** Pending until the first connection is made, refused or given up; then undefined. */
  private firstConnection: Promise<void> | undefined;

  constructor(url: string, prefix = 'portvagt:') {
    this.prefix = prefix;
    // Fail fast instead of queueing commands while Redis is away, so a request gets a 502 page at once.
    // Commands of one tick (several requests' at a time) go out in one write: each write to a socket
    // is a system call that costs more than the command.
    this.redis = new (loadIoredis().Redis)(url, { enableAutoPipelining: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: CONNECT_TIMEOUT_MS, lazyConnect: false }) as WithSetIndexed;
    this.redis.defineCommand('setIndexed', { numberOfKeys: 2, lua: SET_INDEXED });
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
  private async client(): Promise<WithSetIndexed> {
    if (this.firstConnection) await this.firstConnection;
    return this.redis;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const redis = await this.client();
    const value = await redis.get(this.prefix + key);
    return value === null ? undefined : (JSON.parse(value) as T);
  }

  async set(key: string, value: unknown, ttlSeconds: number, indexIn?: string): Promise<void> {
    const redis = await this.client();
    const [json, ttl] = [JSON.stringify(value), Math.max(1, Math.ceil(ttlSeconds))];
    if (indexIn) await redis.setIndexed(this.prefix + key, this.prefix + indexIn, json, ttl, key);
    else await redis.set(this.prefix + key, json, 'EX', ttl);
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
