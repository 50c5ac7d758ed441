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
/** The default of `storage.redis_timeout_ms`. */
export const REDIS_TIMEOUT_MS = 2000;

/** Shared by every instance when Portvagt is scaled out; Redis expires keys itself. */
export class RedisEphemeralStore implements EphemeralStore {
  private readonly redis: WithSetIndexed;

  private readonly prefix: string;

  /** Pending until the first connection is made, refused or given up; then undefined. */
  private firstConnection: Promise<void> | undefined;

  private readonly timeoutMs: number;

  constructor(url: string, prefix = 'portvagt:', timeoutMs = REDIS_TIMEOUT_MS) {
    this.prefix = prefix;
    this.timeoutMs = timeoutMs;
    // Fail fast instead of queueing commands while Redis is away, so a request gets a 502 page at once.
    // Commands of one tick (several requests' at a time) go out in one write: each write to a socket
    // is a system call that costs more than the command. Every command, the connection's own
    // handshake included, has a time limit: a Redis that accepts connections but never answers fails
    // them instead of holding them for ever (a handshake that runs out makes ioredis reconnect).
    this.redis = new (loadIoredis().Redis)(url, {
      enableAutoPipelining: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: CONNECT_TIMEOUT_MS,
      commandTimeout: timeoutMs,
      lazyConnect: false,
    }) as WithSetIndexed;
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
   * Runs a command on the client, once its first connection is made: a short-lived caller (the CLI)
   * sends its first command at once, which would fail while still connecting. Later an absent Redis
   * fails at once. A command that ran out of time leaves a connection presumed dead (a silent server,
   * a black-holed network) that the system would keep for minutes: it is replaced at once.
   */
  private async run<T>(command: (redis: WithSetIndexed) => Promise<T>): Promise<T> {
    if (this.firstConnection) await this.firstConnection;
    const started = performance.now();
    try {
      return await command(this.redis);
    } catch (error) {
      // By the time it took, not by ioredis's wording; only the first of the commands that ran out reconnects.
      if (performance.now() - started >= this.timeoutMs && this.redis.status === 'ready') this.redis.disconnect(true);
      throw error;
    }
  }

  async get<T>(key: string): Promise<T | undefined> {
    const value = await this.run((redis) => redis.get(this.prefix + key));
    return value === null ? undefined : (JSON.parse(value) as T);
  }

  async set(key: string, value: unknown, ttlSeconds: number, indexIn?: string): Promise<void> {
    const [json, ttl] = [JSON.stringify(value), Math.max(1, Math.ceil(ttlSeconds))];
    await this.run<unknown>((redis) => (indexIn ? redis.setIndexed(this.prefix + key, this.prefix + indexIn, json, ttl, key) : redis.set(this.prefix + key, json, 'EX', ttl)));
  }

  async take<T>(key: string): Promise<T | undefined> {
    const value = await this.run((redis) => redis.getdel(this.prefix + key));
    return value === null ? undefined : (JSON.parse(value) as T);
  }

  async delete(key: string): Promise<void> {
    await this.run((redis) => redis.del(this.prefix + key));
  }

  async members(key: string): Promise<string[]> {
    return this.run((redis) => redis.smembers(this.prefix + key));
  }

  async increment(key: string, ttlSeconds: number, by = 1): Promise<number> {
    const full = this.prefix + key;
    const results = await this.run((redis) => redis.multi().incrby(full, by).expire(full, Math.max(1, Math.ceil(ttlSeconds)), 'NX').exec());
    return Number(results?.[0]?.[1] ?? 1);
  }

  async ping(): Promise<void> {
    await this.run((redis) => redis.ping());
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
