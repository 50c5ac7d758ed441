import { linkView } from '../../api/views.ts';
import { removeMethod } from '../../provider/account-changes.ts';
import type { Command } from '../command.ts';
import { withSessionEnding } from '../session-ending.ts';
import { table, when } from '../output.ts';
import { accountArgument, accountName } from '../resolve.ts';
import { UsageError } from '../usage-error.ts';

const list: Command = {
  name: 'links list',
  args: ['<account>'],
  summary: "the account's linked login methods",
  async run(input) {
    const { account, stores: { accounts } } = await accountArgument(input);
    const links = (await accounts.links(account.id)).map(linkView);
    const rows = links.map((l) => [l.method, l.issuer, l.subject, when(l.created_at)]);
    input.out.print(links, links.length ? table(['METHOD', 'ISSUER', 'SUBJECT', 'LINKED'], rows) : `${accountName(account)} has no linked login methods.`);
  },
};

const remove: Command = {
  name: 'links remove',
  args: ['<account>', '<method>'],
  options: { force: { type: 'boolean' } },
  optionsUsage: '[--force]',
  summary: 'unlink a login method (the last one only with --force)',
  async run(input) {
    const { account } = await accountArgument(input);
    const method = input.args[1]!;
    const { outcome, reference } = await withSessionEnding(input, (deps) => removeMethod(deps, account, method, input.values.force === true, { via: 'cli' }));
    if (outcome === 'not-found') throw new UsageError(`${accountName(account)} has no "${method}" login`);
    if (outcome === 'last-method') throw new UsageError(`"${method}" is the last login method of ${accountName(account)}; add --force to remove it anyway`);
    input.out.print({ account_id: account.id, method, removed: true, reference }, `Removed the ${method} login of ${accountName(account)} (reference ${reference})`);
  },
};

export const linkCommands: Command[] = [list, remove];
