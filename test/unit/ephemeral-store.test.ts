import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/errors/boundary-errors.ts';
import type { EphemeralStore } from '../../src/store/ephemeral/ephemeral-store.ts';
import { openEphemeralStore } from '../../src/store/ephemeral/index.ts';
import { MemoryStore } from '../../src/store/ephemeral/memory.ts';
import { RedisEphemeralStore } from '../../src/store/ephemeral/redis.ts';
import { SqliteEphemeralStore } from '../../src/store/ephemeral/sqlite.ts';
import { freePort } from '../helpers/harness.ts';

/** A clock the test moves by hand. */
function manualClock() {
  let now = Date.now();
  return { clock: () => now, advance: (ms: number) => void (now += ms) };
}

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'eph-')), 'e.db');

interface Opened {
  store: EphemeralStore;
  /** Lets `ms` pass for the store, or for Redis (which expires keys on its own clock) says how long it will keep `key`. */
  expire(key: string, ms: number): Promise<void>;
}

const stores: [string, () => Opened][] = [
  ['memory', () => {
    const time = manualClock();
    return { store: new MemoryStore(time.clock), expire: async (_key, ms) => time.advance(ms) };
  }],
  ['sqlite', () => {
    const time = manualClock();
    return { store: new SqliteEphemeralStore(tempFile(), { clock: time.clock }), expire: async (_key, ms) => time.advance(ms) };
  }],
];
if (process.env.REDIS_URL) {
  stores.push(['redis', () => {
    const prefix = `test:${Date.now()}:`;
    return {
      store: new RedisEphemeralStore(process.env.REDIS_URL!, prefix),
      // Redis's own expiry is Redis's job: what the store must get right is the time it asks for.
      async expire(key, ms) {
        const raw = new Redis(process.env.REDIS_URL!);
        const left = await raw.pttl(prefix + key);
        raw.disconnect();
        expect(left).toBeGreaterThan(0);
        expect(left).toBeLessThanOrEqual(ms);
      },
    };
  }]);
}

const opened: EphemeralStore[] = [];
afterAll(async () => {
  for (const s of opened) await s.close();
});

describe.each(stores)('%s ephemeral store', (name, open) => {
  const { store, expire } = open();
  opened.push(store);

  // Redis refuses commands until its connection is up (no offline queue), which takes a moment.
  beforeAll(async () => {
    for (let tries = 0; ; tries++) {
      try {
        return await store.ping();
      } catch (error) {
        if (tries === 100) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  });

  it('keeps a value until it expires', async () => {
    await store.set('a', { n: 1 }, 1);
    expect(await store.get('a')).toEqual({ n: 1 });
    await expire('a', 1000);
    if (name !== 'redis') expect(await store.get('a')).toBeUndefined();
  });

  it('hands a single-use value to exactly one of two takers', async () => {
    await store.set('once', 'x', 60);
    const results = await Promise.all([store.take('once'), store.take('once')]);
    expect(results.filter((r) => r === 'x')).toHaveLength(1);
    expect(await store.get('once')).toBeUndefined();
  });

  it('counts attempts within a window', async () => {
    expect(await store.increment('count', 60)).toBe(1);
    expect(await store.increment('count', 60)).toBe(2);
    expect(await store.increment('count', 60)).toBe(3);
    expect(await store.increment('count', 60, 5)).toBe(8);
    expect(await store.increment('fresh', 60, 4)).toBe(4);
  });

  // Memory and SQLite keep each member's own expiry; Redis expires the set as a whole.
  if (name === 'redis') it('keeps a set as long as its longest-lived member (the first member sets the expiry, a shorter one keeps it)', async () => {
    const set = `lived-${Date.now()}`;
    await store.set('long', 1, 60, set);
    await store.set('short', 2, 5, set);
    await expire(set, 60_000);
    const raw = new Redis(process.env.REDIS_URL!);
    const keys = await raw.keys(`test:*:${set}`);
    const left = Math.min(...(await Promise.all(keys.map((k) => raw.pttl(k)))));
    raw.disconnect();
    expect(left).toBeGreaterThan(5_000);
    await store.set('longer', 3, 120, set);
    expect((await store.members(set)).sort()).toEqual(['long', 'longer', 'short']);
  });

  it('stores a value and its key in a set in one step, each key once', async () => {
    await store.set('a', 1, 60, 'set');
    await store.set('b', 2, 60, 'set');
    await store.set('a', 3, 60, 'set');
    expect((await store.members('set')).sort()).toEqual(['a', 'b']);
    expect([await store.get('a'), await store.get('b')]).toEqual([3, 2]);
  });
});

it('sqlite store keeps state across a reopen (a restart of the process)', async () => {
  const file = tempFile();
  const first = new SqliteEphemeralStore(file);
  await first.set('pending', { state: 's' }, 60);
  await first.close();
  const second = new SqliteEphemeralStore(file);
  expect(await second.get('pending')).toEqual({ state: 's' });
  await second.close();
});

it('sqlite store commits the changes of one turn together, in the order they were made, each on disk when its promise settles', async () => {
  const file = tempFile();
  const store = new SqliteEphemeralStore(file);
  const rows = new SQLite(file, { readonly: true });
  const commitsBefore = rows.pragma('data_version', { simple: true });
  const turn = [store.set('k', 'first', 60), store.delete('k'), store.set('k', 'last', 60), store.take('once'), store.increment('n', 60, 2), store.set('m', 'indexed', 60, 's')];
  // Nothing is written before the turn ends: others still see the file as it was.
  expect(rows.prepare('select count(*) from kv').pluck().get()).toBe(0);
  expect(await Promise.all(turn)).toEqual([undefined, undefined, undefined, undefined, 2, undefined]);
  expect(rows.prepare('select value from kv where key = ?').pluck().get('k')).toBe('"last"');
  expect(rows.prepare('select count(*) from kv_set').pluck().get()).toBe(1);
  // Another connection sees one change of the file for the whole turn.
  expect(Number(rows.pragma('data_version', { simple: true })) - Number(commitsBefore)).toBe(1);
  rows.close();
  await store.close();
});

it('sqlite store fails only the change that fails when a turn is committed', async () => {
  const file = tempFile();
  const store = new SqliteEphemeralStore(file);
  // The delete statement fails inside the turn's transaction, which rolls back the other changes too.
  const statements = (store as unknown as { statements: Record<string, unknown> }).statements;
  const working = statements.delete;
  statements.delete = { run: () => { throw new Error('disk I/O error'); } };
  const results = await Promise.allSettled([store.set('a', 1, 60), store.delete('a'), store.set('b', 2, 60)]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  statements.delete = working;
  expect([await store.get('a'), await store.get('b')]).toEqual([1, 2]);
  await store.close();
});

it('sqlite store removes expired rows from its file, not only from reads', async () => {
  const file = tempFile();
  const time = manualClock();
  const store = new SqliteEphemeralStore(file, { sweepIntervalMs: 60_000, clock: time.clock });
  await store.set('short', 'x', 1);
  await store.set('m', 'indexed', 1, 'short-set');
  const rows = new SQLite(file, { readonly: true });
  time.advance(1000);
  await store.set('long', 'y', 60);
  // Expired but not yet swept: the sweep runs once a minute.
  expect(rows.prepare('select count(*) from kv').pluck().get()).toBe(3);
  time.advance(59_000);
  await store.set('long', 'y', 60);
  expect(rows.prepare('select key from kv').pluck().all()).toEqual(['long']);
  expect(rows.prepare('select count(*) from kv_set').pluck().get()).toBe(0);
  rows.close();
  await store.close();
});

it('sqlite store sweeps by an index on expiry, not by reading the whole table', async () => {
  const file = tempFile();
  const store = new SqliteEphemeralStore(file);
  await store.set('k', 'v', 60, 'set');
  const db = new SQLite(file, { readonly: true });
  const plan = (sql: string) => (db.prepare(`explain query plan ${sql}`).all() as { detail: string }[]).map((row) => row.detail).join('; ');
  expect(plan('delete from kv where expires_at <= 1')).toMatch(/USING (COVERING )?INDEX kv_expires/);
  expect(plan('delete from kv_set where expires_at <= 1')).toMatch(/USING (COVERING )?INDEX kv_set_expires/);
  db.close();
  await store.close();
});

it('sqlite store gives the space of a burst back: after the sweep its write-ahead log is nearly empty', async () => {
  const file = tempFile();
  const time = manualClock();
  const store = new SqliteEphemeralStore(file, { sweepIntervalMs: 60_000, clock: time.clock });
  const value = 'x'.repeat(2000);
  // About 12 MB of logins' records in one burst, gone a minute later.
  for (let turn = 0; turn < 60; turn++) await Promise.all(Array.from({ length: 100 }, (_, i) => store.set(`burst:${turn}:${i}`, value, 30)));
  const walSize = () => statSync(`${file}-wal`).size;
  expect(walSize()).toBeGreaterThan(1024 * 1024);
  time.advance(60_000);
  await store.set('after', 'y', 60);
  expect(walSize()).toBeLessThan(256 * 1024);
  await store.close();
});

describe('a store that cannot serve', () => {
  it('fails with StoreUnavailableError when the SQLite file is no longer open, whatever better-sqlite3 says', async () => {
    const store = openEphemeralStore({ dataDir: mkdtempSync(join(tmpdir(), 'eph-')) });
    await store.set('k', 'v', 60);
    await store.close();
    const failure = await store.get('k').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect((failure as StoreUnavailableError).store).toBe('ephemeral');
  });

  it('fails with StoreUnavailableError when nothing answers at the Redis address', async () => {
    const store = openEphemeralStore({ redisUrl: `redis://127.0.0.1:${await freePort()}`, dataDir: tmpdir() });
    try {
      await expect(store.set('k', 'v', 60)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await store.close();
    }
  });
});
