import { AccountRepository } from '../accounts/accounts.ts';
import { AuditLog } from '../outcomes/audit-log.ts';
import { InvitationRepository } from '../accounts/invitations.ts';
import { ManagementOperations } from '../accounts/management.ts';
import type { Config } from '../config/model.ts';
import { InvitationMailer } from '../mail/invitation-mail.ts';
import { mailTransport } from '../mail/mail-transport.ts';
import { migrate, openDurableStore, type DurableStore } from '../store/durable/database.ts';

export interface CliStores {
  durable: DurableStore;
  accounts: AccountRepository;
  invitations: InvitationRepository;
  audit: AuditLog;
  ops: ManagementOperations;
}

/** The server's durable store, migrated, with the repositories the commands work through. */
export async function openCliStores(config: Config): Promise<CliStores> {
  const durable = openDurableStore({ databaseUrl: config.storage.database_url, dataDir: config.storage.data_dir, timeoutMs: config.storage.database_timeout_ms });
  try {
    await migrate(durable);
  } catch (error) {
    await durable.close();
    throw error;
  }
  const accounts = new AccountRepository(durable.db);
  const invitations = new InvitationRepository(durable.db, { validityDays: config.invitations.validity_days, maxAttempts: config.invitations.max_attempts });
  const audit = new AuditLog(durable.db);
  return { durable, accounts, invitations, audit, ops: new ManagementOperations({ accounts, invitations, audit, mailer: new InvitationMailer(config, mailTransport(config)) }) };
}
