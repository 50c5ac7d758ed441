import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';

export type SqlDialect = 'sqlite' | 'postgres';

// Migrations are code, in order, and never edited once released: add a new one instead.
const migrations = (dialect: SqlDialect): Record<string, Migration> => {
  const serial = (c: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
  return {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('accounts')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('tenant', 'varchar(64)', (c) => c.notNull())
        .addColumn('username', 'varchar(200)', (c) => c.notNull())
        .addColumn('display_name', 'varchar(200)', (c) => c.notNull())
        .addColumn('email', 'varchar(320)')
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('cpr_fingerprint', 'varchar(128)')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('accounts_tenant_username', ['tenant', 'username'])
        .execute();
      await db.schema
        .createTable('identity_links')
        .addColumn('id', 'integer', serial)
        .addColumn('account_id', 'varchar(64)', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('method', 'varchar(64)', (c) => c.notNull())
        .addColumn('issuer', 'varchar(500)', (c) => c.notNull())
        .addColumn('subject', 'varchar(500)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        // One upstream identity belongs to at most one account; an account has a method at most once.
        .addUniqueConstraint('identity_links_identity', ['issuer', 'subject'])
        .addUniqueConstraint('identity_links_account_method', ['account_id', 'method'])
        .execute();
      await db.schema
        .createTable('invitations')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('account_id', 'varchar(64)', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('password_hash', 'varchar(500)', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('invitations_account').on('invitations').column('account_id').execute();
      await db.schema
        .createTable('signing_keys')
        .addColumn('kid', 'varchar(100)', (c) => c.primaryKey())
        .addColumn('private_jwk', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('retired_at', 'bigint')
        .execute();
      await db.schema
        .createTable('audit_events')
        .addColumn('id', 'integer', serial)
        .addColumn('reference', 'varchar(64)', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('event', 'varchar(64)', (c) => c.notNull())
        .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
        .addColumn('code', 'integer')
        .addColumn('tenant', 'varchar(64)')
        .addColumn('client_id', 'varchar(100)')
        .addColumn('method', 'varchar(64)')
        .addColumn('account_id', 'varchar(64)')
        .addColumn('upstream_reason', 'varchar(300)')
        .addColumn('detail', 'varchar(1000)')
        .execute();
      await db.schema.createIndex('audit_events_reference').on('audit_events').column('reference').execute();
    },
  },
  // The operators' failure report reads events by time.
  '0002_audit_events_at': {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();
    },
  },
  // A signing key is published before it signs: from activates_at on it does.
  '0003_signing_key_activation': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('signing_keys').addColumn('activates_at', 'bigint').execute();
      await sql`update signing_keys set activates_at = created_at`.execute(db);
    },
  },
  // The account page lists an account's recent logins with their level, newest first.
  '0004_audit_events_account': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('audit_events').addColumn('level', 'varchar(16)').execute();
      await db.schema.createIndex('audit_events_account_at').on('audit_events').columns(['account_id', 'at']).execute();
    },
  },
  };
};

export const migrationProvider = (dialect: SqlDialect): MigrationProvider => ({
  getMigrations: async () => migrations(dialect),
});
