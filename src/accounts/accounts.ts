import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AccountsTable, Database, IdentityLinksTable } from '../store/durable/schema.ts';
import { isUniqueViolation } from '../store/durable/unique-violation.ts';

export type Account = Selectable<AccountsTable>;
export type IdentityLink = Selectable<IdentityLinksTable>;

/** The upstream identity a connector returned: who the upstream says the user is. */
export interface UpstreamIdentityRef {
  method: string;
  issuer: string;
  subject: string;
}

/** Whether `identity` is still one of these links of its account (a link removed since no longer counts). */
export const isLinked = (links: readonly IdentityLink[], identity: UpstreamIdentityRef): boolean =>
  links.some((l) => l.method === identity.method && l.issuer === identity.issuer && l.subject === identity.subject);

export type LinkOutcome = 'linked' | 'identity-taken' | 'method-taken';

type Db = Kysely<Database> | Transaction<Database>;

export class AccountRepository {
  private readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  /** Runs writes that must stand or fall together. */
  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async create(input: { tenant: string; username: string; displayName: string; email?: string | null }, db: Db = this.db): Promise<Account> {
    const account: Account = {
      id: randomUUID(),
      tenant: input.tenant,
      username: input.username,
      display_name: input.displayName,
      email: input.email ?? null,
      status: 'active',
      cpr_fingerprint: null,
      created_at: Date.now(),
    };
    await db.insertInto('accounts').values(account).execute();
    return account;
  }

  async find(id: string): Promise<Account | undefined> {
    return this.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async findByUsername(tenant: string, username: string): Promise<Account | undefined> {
    return this.db.selectFrom('accounts').selectAll().where('tenant', '=', tenant).where('username', '=', username).executeTakeFirst();
  }

  async list(tenant?: string): Promise<Account[]> {
    let query = this.db.selectFrom('accounts').selectAll().orderBy('tenant').orderBy('username');
    if (tenant) query = query.where('tenant', '=', tenant);
    return query.execute();
  }

  /** Deletes the account with its links and invitations (and so its CPR fingerprint), in one transaction. */
  async delete(id: string): Promise<boolean> {
    return this.transaction(async (trx) => {
      await trx.deleteFrom('identity_links').where('account_id', '=', id).execute();
      await trx.deleteFrom('invitations').where('account_id', '=', id).execute();
      const deleted = await trx.deleteFrom('accounts').where('id', '=', id).executeTakeFirst();
      return deleted.numDeletedRows === 1n;
    });
  }

  async setStatus(id: string, status: Account['status']): Promise<boolean> {
    const result = await this.db.updateTable('accounts').set({ status }).where('id', '=', id).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async setCprFingerprint(id: string, fingerprint: string | null): Promise<boolean> {
    const result = await this.db.updateTable('accounts').set({ cpr_fingerprint: fingerprint }).where('id', '=', id).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** The account an upstream identity is linked to, if any. */
  async findByIdentity(issuer: string, subject: string): Promise<Account | undefined> {
    return this.db
      .selectFrom('identity_links')
      .innerJoin('accounts', 'accounts.id', 'identity_links.account_id')
      .selectAll('accounts')
      .where('identity_links.issuer', '=', issuer)
      .where('identity_links.subject', '=', subject)
      .executeTakeFirst();
  }

  async links(accountId: string): Promise<IdentityLink[]> {
    return this.db.selectFrom('identity_links').selectAll().where('account_id', '=', accountId).orderBy('id').execute();
  }

  /**
   * Links an upstream identity to an account. The unique constraints decide races: of two concurrent
   * links of one identity exactly one succeeds, and nothing is ever merged.
   */
  async link(accountId: string, identity: UpstreamIdentityRef, db: Db = this.db): Promise<LinkOutcome> {
    const owner = await db
      .selectFrom('identity_links')
      .select(['account_id'])
      .where('issuer', '=', identity.issuer)
      .where('subject', '=', identity.subject)
      .executeTakeFirst();
    if (owner) return 'identity-taken';
    const sameMethod = await db
      .selectFrom('identity_links')
      .select(['id'])
      .where('account_id', '=', accountId)
      .where('method', '=', identity.method)
      .executeTakeFirst();
    if (sameMethod) return 'method-taken';
    try {
      await db
        .insertInto('identity_links')
        .values({ account_id: accountId, method: identity.method, issuer: identity.issuer, subject: identity.subject, created_at: Date.now() })
        .execute();
      return 'linked';
    } catch (error) {
      if (isUniqueViolation(error)) return 'identity-taken';
      throw error;
    }
  }

  /** Removes a link; refuses to leave the account without any method unless `force` is set. */
  async unlink(accountId: string, method: string, force = false): Promise<'removed' | 'not-found' | 'last-method'> {
    const links = await this.links(accountId);
    if (!links.some((l) => l.method === method)) return 'not-found';
    if (links.length === 1 && !force) return 'last-method';
    await this.db.deleteFrom('identity_links').where('account_id', '=', accountId).where('method', '=', method).execute();
    return 'removed';
  }
}
