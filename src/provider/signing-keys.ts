import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../store/durable/schema.ts';
import type { SqlDialect } from '../store/durable/migrations.ts';

/** How long a retired key stays published so tokens it signed still verify. */
const RETIRED_KEY_GRACE_MS = 7 * 24 * 3600 * 1000;

async function newKey(): Promise<{ kid: string; jwk: JWK }> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  return { kid, jwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** Any number fits; it only has to be the same in every instance and unique among Portvagt's locks. */
const SIGNING_KEYS_LOCK = 0x706f7274; // "port"

/**
 * Runs `work` in a transaction that holds the signing-keys lock, so that instances starting at
 * once (or an operator rotating during a start) see each other's keys instead of racing. PostgreSQL
 * takes a transaction-scoped advisory lock; SQLite takes its write lock before a write statement reads.
 */
async function withKeyLock<T>(db: Kysely<Database>, dialect: SqlDialect, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${SIGNING_KEYS_LOCK})`.execute(trx);
    return work(trx);
  });
}

/**
 * Signing keys live in the durable store, shared by all instances: the first start generates one,
 * a restart reuses it. The active (newest) key comes first, which is the one oidc-provider signs with.
 */
export async function loadSigningKeys(db: Kysely<Database>, dialect: SqlDialect = 'sqlite'): Promise<JWK[]> {
  const now = Date.now();
  const hasActive = await db.selectFrom('signing_keys').select('kid').where('retired_at', 'is', null).executeTakeFirst();
  if (!hasActive) {
    // Instances starting together on an empty store: the insert only happens if nobody else's did,
    // so all of them end up with one and the same active key.
    const { kid, jwk } = await newKey();
    await withKeyLock(db, dialect, (trx) =>
      sql`insert into signing_keys (kid, private_jwk, created_at)
          select cast(${kid} as varchar(100)), cast(${JSON.stringify(jwk)} as text), cast(${now} as bigint)
          where not exists (select 1 from signing_keys where retired_at is null)`.execute(trx),
    );
  }
  const rows = await db
    .selectFrom('signing_keys')
    .selectAll()
    .where((eb) => eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', now - RETIRED_KEY_GRACE_MS)]))
    .orderBy('created_at', 'desc')
    .execute();
  const current = rows.filter((r) => r.retired_at === null);
  const retired = rows.filter((r) => r.retired_at !== null);
  return [...current, ...retired].map((r) => JSON.parse(r.private_jwk) as JWK);
}

/** Makes a new active key and retires the previous one; returns the new key id. */
export async function rotateSigningKey(db: Kysely<Database>, dialect: SqlDialect = 'sqlite'): Promise<string> {
  const { kid, jwk } = await newKey();
  const now = Date.now();
  await withKeyLock(db, dialect, async (trx) => {
    await trx.updateTable('signing_keys').set({ retired_at: now }).where('retired_at', 'is', null).execute();
    await trx.insertInto('signing_keys').values({ kid, private_jwk: JSON.stringify(jwk), created_at: now, retired_at: null }).execute();
  });
  return kid;
}
