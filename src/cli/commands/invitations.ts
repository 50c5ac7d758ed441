import { invitationView } from '../../api/views.ts';
import type { Command } from '../command.ts';
import { table, when } from '../output.ts';
import { accountName, resolveAccount } from '../resolve.ts';

const issue: Command = {
  name: 'invitations issue',
  args: ['<account>'],
  summary: 'issue a one-time password for the first-time login (revokes an open one)',
  async run(input) {
    const { accounts, ops } = await input.stores();
    const account = await resolveAccount(input.args[0]!, input.config(), accounts);
    const { password, expiresAt, reference } = await ops.issueInvitation(account, { via: 'cli' });
    input.out.print(
      { account_id: account.id, tenant: account.tenant, username: account.username, password, expires_at: new Date(expiresAt).toISOString(), reference },
      [
        `One-time password for ${accountName(account)}: ${password}`,
        `It is shown only now (Portvagt keeps a hash). Expires ${when(expiresAt)}. Reference ${reference}.`,
      ].join('\n'),
    );
  },
};

const revoke: Command = {
  name: 'invitations revoke',
  args: ['<account>'],
  summary: "revoke the account's open invitation",
  async run(input) {
    const { accounts, ops } = await input.stores();
    const account = await resolveAccount(input.args[0]!, input.config(), accounts);
    const { revoked, reference } = await ops.revokeInvitations(account, { via: 'cli' });
    input.out.print({ account_id: account.id, revoked, reference }, `Revoked ${revoked} open invitation${revoked === 1 ? '' : 's'} of ${accountName(account)} (reference ${reference})`);
  },
};

const list: Command = {
  name: 'invitations list',
  args: ['<account>'],
  summary: "the account's invitations, newest first (never their passwords)",
  async run(input) {
    const { accounts, invitations } = await input.stores();
    const account = await resolveAccount(input.args[0]!, input.config(), accounts);
    const views = (await invitations.list(account.id)).map((i) => invitationView(i));
    const rows = views.map((v) => [v.id, v.status, String(v.attempts), when(v.created_at), when(v.expires_at)]);
    input.out.print(views, views.length ? table(['ID', 'STATUS', 'ATTEMPTS', 'CREATED', 'EXPIRES'], rows) : `No invitations for ${accountName(account)}.`);
  },
};

export const invitationCommands: Command[] = [issue, revoke, list];
