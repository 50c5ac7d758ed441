import { invitationView } from '../../api/views.ts';
import type { Account } from '../../accounts/accounts.ts';
import { configuredClients } from '../../config/model.ts';
import { InvitationMailRefused } from '../../mail/invitation-mail.ts';
import { stringOption, type Command, type CommandInput } from '../command.ts';
import { UsageError } from '../usage-error.ts';
import { table, when } from '../output.ts';
import { accountArgument, accountName } from '../resolve.ts';

const issue: Command = {
  name: 'invitations issue',
  args: ['<account>'],
  options: { send: { type: 'boolean' }, client: { type: 'string' }, lang: { type: 'string' } },
  optionsUsage: '[--send [--client C] [--lang da|en]]',
  summary: 'issue a one-time password for the first-time login (revokes an open one); --send e-mails it in the name of a system',
  async run(input) {
    const { account, stores: { ops } } = await accountArgument(input);
    const mail = input.values.send ? { clientId: mailingClient(input, account), locale: stringOption(input, 'lang') ?? 'da' } : undefined;
    if (!mail && (input.values.client !== undefined || input.values.lang !== undefined)) throw new UsageError('--client and --lang go with --send');
    let issued;
    try {
      issued = await ops.issueInvitation(account, { via: 'cli' }, mail);
    } catch (error) {
      if (error instanceof InvitationMailRefused) throw new UsageError(error.message);
      throw error;
    }
    const { password, expiresAt, reference } = issued;
    const json = { account_id: account.id, tenant: account.tenant, username: account.username, expires_at: new Date(expiresAt).toISOString(), reference };
    if (issued.mail?.sent) {
      input.out.print({ ...json, sent_to: issued.mail.to }, `Invitation e-mail sent to ${issued.mail.to} for ${accountName(account)}. Expires ${when(expiresAt)}. Reference ${reference}.`);
      return;
    }
    input.out.print(
      { ...json, password },
      [
        `One-time password for ${accountName(account)}: ${password}`,
        `It is shown only now (Portvagt keeps a hash). Expires ${when(expiresAt)}. Reference ${reference}.`,
      ].join('\n'),
    );
    // The invitation above is valid: hand the password over another way, or issue a new one.
    if (issued.mail) throw new Error(`the invitation e-mail could not be sent (${issued.mail.reason}); the invitation is valid`);
  },
};

/** The system the e-mail speaks for: --client, or the one system serving the account's tenant. */
function mailingClient(input: CommandInput, account: Account): string {
  const named = stringOption(input, 'client');
  if (named) return named;
  const serving = configuredClients(input.config()).filter((c) => c.enabled && c.tenants.includes(account.tenant)).map((c) => c.id);
  if (serving.length !== 1) throw new UsageError(`--client needed: tenant "${account.tenant}" is served by ${serving.length ? serving.join(', ') : 'no system'}`);
  return serving[0]!;
}

const revoke: Command = {
  name: 'invitations revoke',
  args: ['<account>'],
  summary: "revoke the account's open invitation",
  async run(input) {
    const { account, stores: { ops } } = await accountArgument(input);
    const { revoked, reference } = await ops.revokeInvitations(account, { via: 'cli' });
    input.out.print({ account_id: account.id, revoked, reference }, `Revoked ${revoked} open invitation${revoked === 1 ? '' : 's'} of ${accountName(account)} (reference ${reference})`);
  },
};

const list: Command = {
  name: 'invitations list',
  args: ['<account>'],
  summary: "the account's invitations, newest first (never their passwords)",
  async run(input) {
    const { account, stores: { invitations } } = await accountArgument(input);
    const views = (await invitations.list(account.id)).map((i) => invitationView(i));
    const rows = views.map((v) => [v.id, v.status, String(v.attempts), when(v.created_at), when(v.expires_at)]);
    input.out.print(views, views.length ? table(['ID', 'STATUS', 'ATTEMPTS', 'CREATED', 'EXPIRES'], rows) : `No invitations for ${accountName(account)}.`);
  },
};

export const invitationCommands: Command[] = [issue, revoke, list];
