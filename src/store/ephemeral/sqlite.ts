import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { systemClock, type Clock } from '../../clock.ts';
import type { EphemeralStore } from './ephemeral-store.ts';

/** A change waiting for the next commit, and its caller's promise. */
interface QueuedChange {
  apply: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** The write-ahead log is cut back to this after each checkpoint, so a burst of writes does not leave it large. */
const WAL_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * The embedded default: survives a restart of the single process, so a login started before a
 * restart still finishes. Expired rows are ignored on read and swept at most once a minute, through
 * an index on their expiry; after a sweep the write-ahead log is checkpointed and truncated. The file
 * holds what lives at one time (its freed pages are reused), so its size follows the login rate
 * times the records' lifetimes.
 *
 * Changes (set, take, delete, counts) are committed together once per turn of the event
 * loop: one transaction for all the requests of that turn instead of one each. A change's promise
 * settles after its commit, so a caller that awaits it has it on disk as before; until then, others
 * read the value as it was. The changes keep their order. Reads run at once.
 */
export class SqliteEphemeralStore implements EphemeralStore {
  private readonly db: SQLite.Database;
  private readonly statements;
  private readonly clock: Clock;
  private readonly sweepIntervalMs: number;
  private sweptAt: number;
  private queue: QueuedChange[] = [];
  private readonly commit: (changes: QueuedChange[]) => unknown[];

  constructor(file: string, options: { sweepIntervalMs?: number; clock?: Clock } = {}) {
    this.clock = options.clock ?? systemClock;
    this.sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
    this.sweptAt = this.clock();
    mkdirSync(dirname(file), { recursive: true });
    this.db = new SQLite(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`);
    this.db.exec(`create table if not exists kv (key text primary key, value text not null, expires_at integer not null);
      create table if not exists kv_set (key text not null, member text not null, expires_at integer not null, primary key (key, member));
      create index if not exists kv_expires on kv (expires_at);
      create index if not exists kv_set_expires on kv_set (expires_at);`);
    this.statements = {
      get: this.db.prepare<[string, number], { value: string }>('select value from kv where key = ? and expires_at > ?'),
      set: this.db.prepare('insert into kv (key, value, expires_at) values (?, ?, ?) on conflict(key) do update set value = excluded.value, expires_at = excluded.expires_at'),
      take: this.db.prepare<[string, number], { value: string }>('delete from kv where key = ? and expires_at > ? returning value'),
      delete: this.db.prepare('delete from kv where key = ?'),
      addToSet: this.db.prepare('insert into kv_set (key, member, expires_at) values (?, ?, ?) on conflict(key, member) do update set expires_at = excluded.expires_at'),
      members: this.db.prepare<[string, number], { member: string }>('select member from kv_set where key = ? and expires_at > ?'),
      increment: this.db.prepare<{ key: string; now: number; expiresAt: number; by: number }, { value: string }>(
        `insert into kv (key, value, expires_at) values (@key, cast(@by as text), @expiresAt) on conflict(key) do update set
           value = case when kv.expires_at > @now then cast(kv.value as integer) + @by else @by end,
           expires_at = case when kv.expires_at > @now then kv.expires_at else excluded.expires_at end
         returning value`,
      ),
      sweep: this.db.prepare('delete from kv where expires_at <= ?'),
      sweepSets: this.db.prepare('delete from kv_set where expires_at <= ?'),
    };
    this.commit = this.db.transaction((changes: QueuedChange[]) => changes.map((change) => change.apply()));
  }

  /** Queues a change for this turn's commit; the first change of a turn schedules it. */
  private change<T>(apply: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => this.flush());
      this.queue.push({ apply, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  private flush(): void {
    const changes = this.queue;
    this.queue = [];
    let results: unknown[];
    try {
      results = this.commit(changes);
    } catch {
      // One change failed and rolled back the turn's transaction: each change again on its own, so
      // only the failing one reports its failure.
      for (const change of changes) {
        try {
          change.resolve(change.apply());
        } catch (error) {
          change.reject(error);
        }
      }
      return;
    }
    changes.forEach((change, i) => change.resolve(results[i]));
    const now = this.clock();
    if (now - this.sweptAt >= this.sweepIntervalMs) this.sweep(now);
  }

  async get<T>(key: string): Promise<T | undefined> {
    const row = this.statements.get.get(key, this.clock());
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async set(key: string, value: unknown, ttlSeconds: number, indexIn?: string): Promise<void> {
    const json = JSON.stringify(value);
    await this.change(() => {
      const now = this.clock();
      this.statements.set.run(key, json, now + ttlSeconds * 1000);
      if (indexIn) this.statements.addToSet.run(indexIn, key, now + ttlSeconds * 1000);
    });
  }

  async take<T>(key: string): Promise<T | undefined> {
    const row = await this.change(() => this.statements.take.get(key, this.clock()));
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async delete(key: string): Promise<void> {
    await this.change(() => this.statements.delete.run(key));
  }

  async members(key: string): Promise<string[]> {
    return this.statements.members.all(key, this.clock()).map((row) => row.member);
  }

  async increment(key: string, ttlSeconds: number, by = 1): Promise<number> {
    const row = await this.change(() => {
      const now = this.clock();
      return this.statements.increment.get({ key, now, expiresAt: now + ttlSeconds * 1000, by });
    });
    return Number(row?.value ?? by);
  }

  async ping(): Promise<void> {}

  /**
   * After a commit, outside its transaction: a checkpoint cannot run inside one. A sweep that fails (the
   * file busy) costs only space until the next one, and must not fail the changes just committed.
   */
  private sweep(now: number): void {
    this.sweptAt = now;
    try {
      this.statements.sweep.run(now);
      this.statements.sweepSets.run(now);
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // Retried at the next sweep.
    }
  }

  async close(): Promise<void> {
    if (this.queue.length > 0) this.flush();
    this.db.close();
  }
}
