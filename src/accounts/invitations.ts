import { randomInt, randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/durable/schema.ts';

// No 0/O, 1/l/I: the password is typed from an e-mail.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const PASSWORD_LENGTH = 14;

// argon2id (the library's default algorithm) with OWASP's minimum memory/time cost.
const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function newOneTimePassword(): string {
  return Array.from({ length: PASSWORD_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

/** An id no invitation has: the counting statement of an unknown user matches no row. */
const NO_INVITATION = '00000000-0000-0000-0000-000000000000';

/** A hash to verify against when the username is unknown, so both answers take the same time. */
let decoyHash: Promise<string> | undefined;

/**
 * A check's answer. `proven`: the right password for an invitation that can no longer be used
 * (expired, or locked after its wrong tries), so its holder may be told which, without telling
 * anyone else whether the username exists.
 */
export type RedeemOutcome = { ok: true; accountId: string; invitationId: string } | { ok: false; reason: 'unknown' | 'wrong' | 'expired' | 'used' | 'void'; proven?: true };

export class InvitationRepository {
  private readonly db: Kysely<Database>;
  private readonly options: { validityDays: number; maxAttempts: number };

  constructor(
    db: Kysely<Database>,
    options: { validityDays: number; maxAttempts: number },
  ) {
    this.db = db;
    this.options = options;
  }

  /** Issues an invitation for an account, revoking any open one; returns the password once. */
  async issue(accountId: string): Promise<{ id: string; password: string; expiresAt: number }> {
    const password = newOneTimePassword();
    const id = randomUUID();
    const expiresAt = Date.now() + this.options.validityDays * 24 * 3600 * 1000;
    const passwordHash = await hash(password, ARGON2);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('invitations').set({ status: 'revoked' }).where('account_id', '=', accountId).where('status', '=', 'open').execute();
      await trx.insertInto('invitations').values({ id, account_id: accountId, password_hash: passwordHash, expires_at: expiresAt, attempts: 0, status: 'open', created_at: Date.now() }).execute();
    });
    return { id, password, expiresAt };
  }

  async revoke(accountId: string): Promise<number> {
    const result = await this.db.updateTable('invitations').set({ status: 'revoked' }).where('account_id', '=', accountId).where('status', '=', 'open').executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async list(accountId: string) {
    return this.db.selectFrom('invitations').select(['id', 'status', 'expires_at', 'attempts', 'created_at']).where('account_id', '=', accountId).orderBy('created_at', 'desc').execute();
  }

  /**
   * Checks a password against the account's latest invitation and counts the try. Every path, from
   * an unknown user to the right password, does the same work: one argon2id verify (against a decoy
   * hash when there is no invitation) and one counting statement. That statement increments and
   * returns in one step, and only for an open, unexpired invitation under its limit, so parallel
   * tries never use more than the limit; the wrong try that reaches the limit voids the invitation,
   * after which even the right password fails. Does not consume: see `consume`.
   */
  async check(accountId: string | undefined, password: string): Promise<RedeemOutcome> {
    const invitation = accountId
      ? await this.db.selectFrom('invitations').select(['id', 'account_id', 'password_hash', 'status', 'expires_at']).where('account_id', '=', accountId).orderBy('created_at', 'desc').executeTakeFirst()
      : undefined;
    decoyHash ??= hash(newOneTimePassword(), ARGON2);
    const matches = await verify(invitation?.password_hash ?? (await decoyHash), password);
    const max = this.options.maxAttempts;
    const counted = await this.db
      .updateTable('invitations')
      .set({
        attempts: sql`attempts + 1`,
        status: sql`case when ${matches ? 0 : 1} = 1 and attempts + 1 >= ${max} then 'void' else status end`,
      })
      .where('id', '=', invitation?.id ?? NO_INVITATION)
      .where('status', '=', 'open')
      .where('attempts', '<', max)
      .where('expires_at', '>', Date.now())
      .returning('attempts')
      .executeTakeFirst();
    if (!invitation) return { ok: false, reason: 'unknown' };
    if (invitation.status === 'used' && !counted) return { ok: false, reason: 'used' };
    if (!counted) return { ok: false, reason: invitation.status === 'open' && invitation.expires_at <= Date.now() ? 'expired' : 'void', ...(matches ? { proven: true as const } : {}) };
    if (!matches) return { ok: false, reason: 'wrong' };
    return { ok: true, accountId: invitation.account_id, invitationId: invitation.id };
  }

  /** Marks an invitation used inside the caller's transaction; false if another flow used it first. */
  async consume(invitationId: string, trx: Kysely<Database>): Promise<boolean> {
    const result = await trx.updateTable('invitations').set({ status: 'used' }).where('id', '=', invitationId).where('status', '=', 'open').executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }
}
