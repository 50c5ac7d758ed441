import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { EphemeralStore } from '../../src/store/ephemeral/ephemeral-store.ts';
import { MemoryStore } from '../../src/store/ephemeral/memory.ts';
import { RedisEphemeralStore } from '../../src/store/ephemeral/redis.ts';
import { SqliteEphemeralStore } from '../../src/store/ephemeral/sqlite.ts';

const stores: [string, () => EphemeralStore][] = [
  ['memory', () => new MemoryStore()],
  ['sqlite', () => new SqliteEphemeralStore(join(mkdtempSync(join(tmpdir(), 'eph-')), 'e.db'))],
];
if (process.env.REDIS_URL) stores.push(['redis', () => new RedisEphemeralStore(process.env.REDIS_URL!, `test:${Date.now()}:`)]);

const opened: EphemeralStore[] = [];
afterAll(async () => {
  for (const s of opened) await s.close();
});

describe.each(stores)('%s ephemeral store', (_name, open) => {
  const store = open();
  opened.push(store);

  it('keeps a value until it expires', async () => {
    await store.set('a', { n: 1 }, 1);
    expect(await store.get('a')).toEqual({ n: 1 });
    await new Promise((r) => setTimeout(r, 1100));
    expect(await store.get('a')).toBeUndefined();
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
  });

  it('keeps set members', async () => {
    await store.addToSet('set', 'a', 60);
    await store.addToSet('set', 'b', 60);
    await store.addToSet('set', 'a', 60);
    expect((await store.members('set')).sort()).toEqual(['a', 'b']);
  });
});

it('sqlite store keeps state across a reopen (a restart of the process)', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'eph-')), 'e.db');
  const first = new SqliteEphemeralStore(file);
  await first.set('pending', { state: 's' }, 60);
  await first.close();
  const second = new SqliteEphemeralStore(file);
  expect(await second.get('pending')).toEqual({ state: 's' });
  await second.close();
});

it('sqlite store removes expired rows from its file, not only from reads', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'eph-')), 'e.db');
  const store = new SqliteEphemeralStore(file, 0);
  await store.set('short', 'x', 1);
  await store.addToSet('short-set', 'm', 1);
  await new Promise((r) => setTimeout(r, 1100));
  await store.set('long', 'y', 60);
  const rows = new SQLite(file, { readonly: true });
  expect(rows.prepare('select key from kv').pluck().all()).toEqual(['long']);
  expect(rows.prepare('select count(*) from kv_set').pluck().get()).toBe(0);
  rows.close();
  await store.close();
});
