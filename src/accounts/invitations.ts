import { randomInt, randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import type { Database } from '../store/durable/schema.ts';

// No 0/O, 1/l/I: the password is typed from an e-mail.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const PASSWORD_LENGTH = 14;

// argon2id (the library's default algorithm) with OWASP's minimum memory/time cost.
const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function newOneTimePassword(): string {
  return Array.from({ length: PASSWORD_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

/** A hash to verify against when the username is unknown, so both answers take the same time. */
let decoyHash: Promise<string> | undefined;

export type RedeemOutcome = { ok: true; accountId: string; invitationId: string } | { ok: false; reason: 'unknown' | 'wrong' | 'expired' | 'used' | 'void' };

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
   * Checks a password against the account's open invitation. Wrong tries count; at the limit the
   * invitation is void and even the right password fails. Does not consume: see `consume`.
   */
  async check(accountId: string | undefined, password: string): Promise<RedeemOutcome> {
    const invitation = accountId
      ? await this.db.selectFrom('invitations').selectAll().where('account_id', '=', accountId).orderBy('created_at', 'desc').executeTakeFirst()
      : undefined;
    if (!invitation) {
      decoyHash ??= hash(newOneTimePassword(), ARGON2);
      await verify(await decoyHash, password);
      return { ok: false, reason: 'unknown' };
    }
    const matches = await verify(invitation.password_hash, password);
    if (invitation.status !== 'open') return { ok: false, reason: invitation.status === 'used' ? 'used' : 'void' };
    if (invitation.expires_at <= Date.now()) return { ok: false, reason: 'expired' };
    if (!matches) {
      const attempts = invitation.attempts + 1;
      await this.db
        .updateTable('invitations')
        .set({ attempts, ...(attempts >= this.options.maxAttempts ? { status: 'void' as const } : {}) })
        .where('id', '=', invitation.id)
        .execute();
      return { ok: false, reason: 'wrong' };
    }
    return { ok: true, accountId: invitation.account_id, invitationId: invitation.id };
  }

  /** Marks an invitation used inside the caller's transaction; false if another flow used it first. */
  async consume(invitationId: string, trx: Kysely<Database>): Promise<boolean> {
    const result = await trx.updateTable('invitations').set({ status: 'used' }).where('id', '=', invitationId).where('status', '=', 'open').executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }
}
