import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { sql, type Kysely, type Transaction } from 'kysely';
import { systemClock, type Clock } from '../clock.ts';
import type { Config } from '../config/model.ts';
import { KeyEncryption } from '../crypto/key-encryption.ts';
import type { Database } from '../store/durable/schema.ts';
import type { SqlDialect } from '../store/durable/migrations.ts';
import { ID_TOKEN_TTL, sessionTtl } from './token-lifetimes.ts';

/** What the lifecycle of the signing keys needs besides the database. */
export interface KeyLifecycle {
  encryption: KeyEncryption;
  /** How long a retired key stays published: the longest life of a token it signed, plus clock skew. */
  retentionMs: number;
  /**
   * How long a retired key, no longer published, still verifies what it signed: an ID token that
   * comes back as a logout's `id_token_hint` while its session may last (docs/relying-parties.md,
   * "Logout with an old ID token"). Never shorter than the retention.
   */
  verificationMs?: number;
  clock: Clock;
}

/** The provider's keys (the one it signs with first) and the ids of those it publishes in its JWKS. */
export interface SigningKeys {
  keys: JWK[];
  published: string[];
}

/** Allowance for relying parties whose clocks run behind when they check a token's expiry. */
const CLOCK_SKEW_SECONDS = 300;

/**
 * The lifecycle from the configuration: keys sealed under `secrets.key_encryption_keys` (default:
 * the CPR keys, through a sub-key of their own), retired keys published as long as an ID token lives
 * and kept for verification as long as a session.
 */
export function keyLifecycle(config: Config, clock: Clock = systemClock): KeyLifecycle {
  const secrets = config.secrets.key_encryption_keys ?? [config.secrets.cpr_hmac_key, ...config.secrets.cpr_hmac_previous_keys];
  return {
    encryption: new KeyEncryption(secrets),
    retentionMs: (ID_TOKEN_TTL + CLOCK_SKEW_SECONDS) * 1000,
    verificationMs: (sessionTtl(config) + CLOCK_SKEW_SECONDS) * 1000,
    clock,
  };
}

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

const activation = (row: { activates_at: number | null; created_at: number }) => row.activates_at ?? row.created_at;

/**
 * The signing keys of every instance, from the durable store: the active key first (the one
 * oidc-provider signs with: the newest whose activation has come and that is not retired), then
 * keys published ahead of their activation, then retired keys: published until their tokens have
 * expired, then kept unpublished for verification only. The first start makes a key that is active
 * at once. Keys retired longer than the verification time are removed; keys sealed under an older
 * key-encryption key (or none) are sealed anew.
 */
export async function loadSigningKeys(db: Kysely<Database>, dialect: SqlDialect, lifecycle: KeyLifecycle): Promise<SigningKeys> {
  const now = lifecycle.clock();
  const { encryption } = lifecycle;
  const keptMs = Math.max(lifecycle.retentionMs, lifecycle.verificationMs ?? 0);
  const hasNewest = await db.selectFrom('signing_keys').select('kid').where('retired_at', 'is', null).executeTakeFirst();
  if (!hasNewest) {
    // Instances starting together on an empty store: the insert only happens if nobody else's did,
    // so all of them end up with one and the same active key.
    const { kid, jwk } = await newKey();
    await withKeyLock(db, dialect, (trx) =>
      sql`insert into signing_keys (kid, private_jwk, created_at, activates_at)
          select cast(${kid} as varchar(100)), cast(${encryption.seal(kid, JSON.stringify(jwk))} as text), cast(${now} as bigint), cast(${now} as bigint)
          where not exists (select 1 from signing_keys where retired_at is null)`.execute(trx),
    );
  }
  const kept = (await db.selectFrom('signing_keys').selectAll().execute()).filter((r) => r.retired_at === null || r.retired_at + keptMs > now);
  const removable = await db.selectFrom('signing_keys').select('kid').where('retired_at', '<=', now - keptMs).execute();
  const stale = kept.filter((r) => !encryption.sealedWithCurrent(r.private_jwk));
  if (removable.length || stale.length) {
    await withKeyLock(db, dialect, async (trx) => {
      if (removable.length) await trx.deleteFrom('signing_keys').where('retired_at', '<=', now - keptMs).execute();
      for (const row of stale) {
        const sealed = encryption.seal(row.kid, encryption.open(row.kid, row.private_jwk));
        await trx.updateTable('signing_keys').set({ private_jwk: sealed }).where('kid', '=', row.kid).where('private_jwk', '=', row.private_jwk).execute();
      }
    });
  }
  const signing = (r: (typeof kept)[number]) => activation(r) <= now && (r.retired_at === null || r.retired_at > now);
  const byActivation = [...kept].sort((a, b) => activation(b) - activation(a));
  const active = byActivation.find(signing);
  const ordered = active ? [active, ...byActivation.filter((r) => r !== active)] : byActivation;
  return {
    keys: ordered.map((r) => JSON.parse(encryption.open(r.kid, r.private_jwk)) as JWK),
    published: ordered.filter((r) => r.retired_at === null || r.retired_at + lifecycle.retentionMs > now).map((r) => r.kid),
  };
}

/**
 * Makes the next signing key: published at once, signing from `activatesAt`, when every key before
 * it stops signing (and stays published until its tokens have expired). Returns the new key's id.
 */
export async function rotateSigningKey(db: Kysely<Database>, dialect: SqlDialect, lifecycle: KeyLifecycle, delayMs: number): Promise<{ kid: string; activatesAt: number }> {
  const { kid, jwk } = await newKey();
  const now = lifecycle.clock();
  let activatesAt = now + delayMs;
  await withKeyLock(db, dialect, async (trx) => {
    // The very first key has nothing to wait for: it signs at once.
    if (!(await trx.selectFrom('signing_keys').select('kid').executeTakeFirst())) activatesAt = now;
    // No earlier key signs past the new one's activation (with --now, not even until a pending key's).
    await trx.updateTable('signing_keys').set({ retired_at: activatesAt }).where((eb) => eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', activatesAt)])).execute();
    await trx.insertInto('signing_keys').values({ kid, private_jwk: lifecycle.encryption.seal(kid, JSON.stringify(jwk)), created_at: now, activates_at: activatesAt, retired_at: null }).execute();
  });
  return { kid, activatesAt };
}
