import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import type { Database } from './schema.ts';
import { migrationProvider, type SqlDialect } from './migrations.ts';

export interface DurableStore {
  db: Kysely<Database>;
  dialect: SqlDialect;
  close(): Promise<void>;
}

// bigint columns hold epoch milliseconds, well inside Number's exact range.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** Opens PostgreSQL for a postgres:// URL, otherwise an SQLite file (default `<dataDir>/portvagt.db`). */
export function openDurableStore(options: { databaseUrl?: string | undefined; dataDir: string }): DurableStore {
  const url = options.databaseUrl;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 3000 });
    // A dropped connection must not crash the process; the next query reports it as a 502.
    pool.on('error', () => undefined);
    // Nor one that drops while checked out between two queries: its next query reports the failure.
    pool.on('connect', (client) => void client.on('error', () => undefined));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const file = url ? url.replace(/^sqlite:/, '') : join(options.dataDir, 'portvagt.db');
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: reusingStatements(sqlite) }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
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
