import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { StoreUnavailableError } from '../../errors/boundary-errors.ts';
import type { Database } from './schema.ts';
import { migrationProvider, type SqlDialect } from './migrations.ts';
import { withTypedFailures } from './typed-failures.ts';
import type { StoreObserver } from '../store-observer.ts';

export interface DurableStore {
  db: Kysely<Database>;
  dialect: SqlDialect;
  close(): Promise<void>;
}

/** PostgreSQL's connection, resource and operator-intervention classes (08, 53, 57) and system errors (58). */
const PG_OUTAGE_CLASSES = new Set(['08', '53', '57', '58']);

/** An error from the server's SQL layer is an outage only in those classes; anything else (a lost socket, a timeout) is. */
const pgOutage = (error: unknown): boolean => !(error instanceof pg.DatabaseError) || PG_OUTAGE_CLASSES.has(String(error.code).slice(0, 2));

/** SQLite result codes (and their extended forms) that say the file cannot be used, not that the query was wrong. */
const SQLITE_OUTAGE = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|CORRUPT|NOTADB|PROTOCOL|NOMEM|PERM)(_|$)/;

const sqliteOutage = (error: unknown): boolean => error instanceof SQLite.SqliteError && SQLITE_OUTAGE.test(error.code);

// bigint columns hold epoch milliseconds, well inside Number's exact range.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/**
 * Opens PostgreSQL for a postgres:// URL, otherwise an SQLite file (default `<dataDir>/portvagt.db`).
 * Either way an outage reaches the caller as StoreUnavailableError; a PostgreSQL query that gets no
 * answer within `timeoutMs` (`storage.database_timeout_ms`) is one too.
 */
export function openDurableStore(options: { databaseUrl?: string | undefined; dataDir: string; timeoutMs?: number | undefined; observe?: StoreObserver | undefined }): DurableStore {
  const { databaseUrl: url, observe } = options;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 3000, query_timeout: options.timeoutMs });
    // A dropped connection must not crash the process; the next query reports it as a 502.
    pool.on('error', () => undefined);
    // Nor one that drops while checked out between two queries: its next query reports the failure.
    pool.on('connect', (client) => {
      client.on('error', () => undefined);
      closeOnQueryTimeout(client);
    });
    const db = new Kysely<Database>({ dialect: withTypedFailures(new PostgresDialect({ pool }), pgOutage, observe) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const file = url ? url.replace(/^sqlite:/, '') : join(options.dataDir, 'portvagt.db');
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = openSqlite(file);
  const db = new Kysely<Database>({ dialect: withTypedFailures(new SqliteDialect({ database: reusingStatements(sqlite) }), sqliteOutage, observe) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/**
 * pg's `query_timeout` fails the query but keeps its connection, which a server that stopped answering
 * never frees: every later query on it would wait too. Closing it lets the pool make a new one.
 */
function closeOnQueryTimeout(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const socket = (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream;
  (client as unknown as { query: typeof query }).query = (...args) => {
    const result = query(...args);
    if (result instanceof Promise) result.catch((error: unknown) => (error instanceof Error && error.message === 'Query read timeout' ? socket.destroy() : undefined));
    return result;
  };
}

function openSqlite(file: string): SQLite.Database {
  let sqlite: SQLite.Database | undefined;
  try {
    sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    return sqlite;
  } catch (error) {
    sqlite?.close();
    throw sqliteOutage(error) ? new StoreUnavailableError('durable', error) : error;
  }
}

/**
 * Kysely prepares every query anew, and compiling SQL is a good share of an SQLite query's cost.
 * Its SQL text is parameterised, so a bounded cache keyed by that text serves every later run.
 */
function reusingStatements(sqlite: SQLite.Database, limit = 256): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        if (statements.size >= limit) statements.delete(statements.keys().next().value as string);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/** Brings the schema up to date; Kysely's migrator holds a lock so concurrent starts are safe. */
export async function migrate(store: DurableStore): Promise<void> {
  const migrator = new Migrator({ db: store.db, provider: migrationProvider(store.dialect) });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
