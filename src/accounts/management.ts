import { userInfo } from 'node:os';
import { z } from 'zod';
import type { Account, AccountRepository } from './accounts.ts';
import type { AuditLog } from '../outcomes/audit-log.ts';
import type { InvitationRepository } from './invitations.ts';
import { newReference } from '../errors/reference.ts';
import { InvitationMailFailed, InvitationMailRefused, type InvitationMailer, type InvitationMailRequest } from '../mail/invitation-mail.ts';
import { isUniqueViolation } from '../store/durable/unique-violation.ts';
import { storableText } from '../store/storable-text.ts';

/** Refuses what the stores cannot keep exactly (the lengths are checked beside it). */
const storable = [(value: string) => storableText(value), 'contains a character that cannot be stored (NUL or a lone surrogate)'] as const;

/** A new account as the API receives it and the CLI builds it from its options. */
export const newAccountSchema = z.object({
  tenant: z.string().min(1).max(64).refine(...storable),
  // No spaces (the form trims them) and no slash (the CLI names accounts as tenant/username).
  username: z.string().trim().min(1).max(200).regex(/^[^\s/]+$/, 'no spaces or slashes').refine(...storable),
  display_name: z.string().trim().min(1).max(200).refine(...storable),
  email: z.email().max(320).refine(...storable).optional(),
});
export type NewAccount = z.infer<typeof newAccountSchema>;

/** Who made a change: the CLI (with the operating-system user) or an API client. */
export type Actor = { via: 'cli' } | { via: 'api'; clientId: string };

export class DuplicateUsernameError extends Error {
  readonly tenant: string;
  readonly username: string;

  constructor(tenant: string, username: string) {
    super(`username "${username}" already exists in tenant "${tenant}"`);
    this.tenant = tenant;
    this.username = username;
    this.name = 'DuplicateUsernameError';
  }
}

function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export interface ManagementDeps {
  accounts: AccountRepository;
  invitations: InvitationRepository;
  audit: AuditLog;
  mailer?: InvitationMailer;
}

/** A new invitation; with a mail request, also whether the e-mail went out (the invitation is valid either way). */
export interface IssuedInvitation {
  password: string;
  expiresAt: number;
  reference: string;
  mail?: { sent: true; to: string } | { sent: false; reason: string };
}

/**
 * The operator's changes to accounts, invitations and links, shared by the management API and the
 * CLI. Every change is an audit event; the reference id comes back so the operator can quote it.
 */
export class ManagementOperations {
  private readonly deps: ManagementDeps;

  constructor(deps: ManagementDeps) {
    this.deps = deps;
  }

  /** Records one change (by default a success under a new reference id) and returns its reference id. */
  async record(
    change: string,
    actor: Actor,
    fields: { tenant?: string; accountId?: string; method?: string; detail?: string; reference?: string; result?: 'success' | 'failure' } = {},
  ): Promise<string> {
    const reference = fields.reference ?? newReference();
    const via = actor.via === 'cli' ? `via cli by ${operatorName()}` : 'via api';
    await this.deps.audit.record({
      reference,
      kind: `manage.${change}`,
      result: fields.result ?? 'success',
      clientId: actor.via === 'api' ? actor.clientId : undefined,
      tenant: fields.tenant,
      accountId: fields.accountId,
      method: fields.method,
      detail: fields.detail ? `${fields.detail} (${via})` : via,
    });
    return reference;
  }

  async createAccount(input: NewAccount, actor: Actor): Promise<{ account: Account; reference: string }> {
    let account: Account;
    try {
      account = await this.deps.accounts.create({ tenant: input.tenant, username: input.username, displayName: input.display_name, email: input.email ?? null });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateUsernameError(input.tenant, input.username);
      throw error;
    }
    const reference = await this.record('account.create', actor, { tenant: account.tenant, accountId: account.id });
    return { account, reference };
  }

  async setStatus(account: Account, status: Account['status'], actor: Actor): Promise<string> {
    await this.deps.accounts.setStatus(account.id, status);
    return this.record(status === 'active' ? 'account.enable' : 'account.disable', actor, { tenant: account.tenant, accountId: account.id });
  }

  /**
   * A new one-time password (any open invitation is revoked). Without `mail` the caller shows it once;
   * with `mail` it goes out by e-mail, and the send is an audit event under the same reference id.
   * What cannot be mailed at all (no address, no SMTP) is refused before anything is issued.
   */
  async issueInvitation(account: Account, actor: Actor, mail?: InvitationMailRequest): Promise<IssuedInvitation> {
    if (mail) {
      if (!this.deps.mailer) throw new InvitationMailRefused('invitations cannot be mailed here');
      this.deps.mailer.check(account, mail);
    }
    const { password, expiresAt } = await this.deps.invitations.issue(account.id);
    const fields = { tenant: account.tenant, accountId: account.id };
    const reference = await this.record('invitation.issue', actor, fields);
    if (!mail || !this.deps.mailer) return { password, expiresAt, reference };
    try {
      const sent = await this.deps.mailer.send(account, mail, { password, expiresAt });
      await this.record('invitation.send', actor, { ...fields, reference, detail: `to ${sent.to} for ${mail.clientId} in ${mail.locale} (${sent.messageId})` });
      return { password, expiresAt, reference, mail: { sent: true, to: sent.to } };
    } catch (error) {
      if (!(error instanceof InvitationMailFailed)) throw error;
      await this.record('invitation.send', actor, { ...fields, reference, result: 'failure', detail: `for ${mail.clientId}: ${error.reason}; the invitation stays valid` });
      return { password, expiresAt, reference, mail: { sent: false, reason: error.reason } };
    }
  }

  async revokeInvitations(account: Account, actor: Actor): Promise<{ revoked: number; reference: string }> {
    const revoked = await this.deps.invitations.revoke(account.id);
    const reference = await this.record('invitation.revoke', actor, { tenant: account.tenant, accountId: account.id, detail: `${revoked} revoked` });
    return { revoked, reference };
  }

  async removeLink(account: Account, method: string, force: boolean, actor: Actor): Promise<{ outcome: 'removed' | 'not-found' | 'last-method'; reference?: string }> {
    const outcome = await this.deps.accounts.unlink(account.id, method, force);
    if (outcome !== 'removed') return { outcome };
    const reference = await this.record('link.remove', actor, { tenant: account.tenant, accountId: account.id, method, detail: force ? 'forced' : undefined });
    return { outcome, reference };
  }

  /**
   * Deletes the account: its links, CPR fingerprint and invitations go; its audit records stay without
   * its id or details. The deletion itself is recorded under the (now meaningless) id, so it can be shown.
   */
  async deleteAccount(account: Account, actor: Actor): Promise<string> {
    await this.deps.accounts.delete(account.id);
    await this.deps.audit.forget(account.id);
    return this.record('account.delete', actor, { tenant: account.tenant, accountId: account.id });
  }

  async setCprFingerprint(account: Account, fingerprint: string, actor: Actor): Promise<string> {
    await this.deps.accounts.setCprFingerprint(account.id, fingerprint);
    return this.record('cpr.set', actor, { tenant: account.tenant, accountId: account.id });
  }
}
