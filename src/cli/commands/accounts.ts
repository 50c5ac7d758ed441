import { deleteAccount, setAccountStatus } from '../../provider/account-changes.ts';
import { withSessionEnding } from '../session-ending.ts';
import { DuplicateUsernameError, newAccountSchema } from '../../accounts/management.ts';
import { accountView } from '../../api/views.ts';
import { requiredOption, stringOption, type Command, type CommandInput } from '../command.ts';
import { table } from '../output.ts';
import { accountArgument, accountName, requireTenant } from '../resolve.ts';
import { UsageError } from '../usage-error.ts';

const OPTION_OF: Record<string, string> = { tenant: '--tenant', username: '--username', display_name: '--name', email: '--email' };

const create: Command = {
  name: 'accounts create',
  args: [],
  options: { tenant: { type: 'string' }, username: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' } },
  optionsUsage: '--tenant T --username U --name "NAME" [--email E]',
  summary: 'create an account in a tenant',
  async run(input) {
    const tenant = requiredOption(input, 'tenant');
    const raw = { tenant, username: requiredOption(input, 'username'), display_name: requiredOption(input, 'name'), email: stringOption(input, 'email') };
    requireTenant(input.config(), tenant);
    const parsed = newAccountSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new UsageError(`${OPTION_OF[String(issue.path[0])] ?? 'input'}: ${issue.message}`);
    }
    const { ops } = await input.stores();
    try {
      const { account, reference } = await ops.createAccount(parsed.data, { via: 'cli' });
      input.out.print({ account: accountView(account), reference }, `Created account ${accountName(account)} with id ${account.id} (reference ${reference})`);
    } catch (error) {
      if (error instanceof DuplicateUsernameError) throw new UsageError(error.message);
      throw error;
    }
  },
};

const list: Command = {
  name: 'accounts list',
  args: [],
  options: { tenant: { type: 'string' } },
  optionsUsage: '[--tenant T]',
  summary: 'list accounts, of one tenant or all',
  async run(input) {
    const tenant = stringOption(input, 'tenant');
    if (tenant !== undefined) requireTenant(input.config(), tenant);
    const accounts = (await (await input.stores()).accounts.list(tenant)).map(accountView);
    const rows = accounts.map((a) => [a.id, a.tenant, a.username, a.display_name, a.status, a.email ?? '']);
    input.out.print(accounts, accounts.length ? table(['ID', 'TENANT', 'USERNAME', 'NAME', 'STATUS', 'EMAIL'], rows) : 'No accounts.');
  },
};

function statusCommand(status: 'active' | 'disabled'): Command {
  const verb = status === 'active' ? 'enable' : 'disable';
  return {
    name: `accounts ${verb}`,
    args: ['<account>'],
    summary: status === 'active' ? 'let an account log in again' : 'stop an account from logging in (its links stay)',
    async run(input: CommandInput) {
      const { account } = await accountArgument(input);
      const reference = await withSessionEnding(input, (deps) => setAccountStatus(deps, account, status, { via: 'cli' }));
      input.out.print({ account: accountView({ ...account, status }), reference }, `${verb === 'enable' ? 'Enabled' : 'Disabled'} account ${accountName(account)} (reference ${reference})`);
    },
  };
}

const remove: Command = {
  name: 'accounts delete',
  args: ['<account>'],
  summary: 'delete an account: its links, CPR fingerprint, sessions and invitations go; its audit records stay without its id',
  async run(input) {
    const { account } = await accountArgument(input);
    const reference = await withSessionEnding(input, (deps) => deleteAccount(deps, account, { via: 'cli' }));
    input.out.print({ account_id: account.id, deleted: true, reference }, `Deleted account ${accountName(account)} (reference ${reference})`);
  },
};

export const accountCommands: Command[] = [create, list, statusCommand('disabled'), statusCommand('active'), remove];
