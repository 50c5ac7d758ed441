import { sessionView } from '../../api/views.ts';
import { revokeAccountSessions } from '../../provider/session-revocation.ts';
import { sessionsOf } from '../../sessions/session-index.ts';
import { stringOption, type Command } from '../command.ts';
import { table, when } from '../output.ts';
import { accountArgument, accountName } from '../resolve.ts';
import { withSessionEnding } from '../session-ending.ts';
import { withStore } from '../shared-store.ts';
import { UsageError } from '../usage-error.ts';

const list: Command = {
  name: 'sessions list',
  args: ['<account>'],
  summary: "the account's live single sign-on sessions: started, last used, systems, login methods, browser",
  async run(input) {
    const { account } = await accountArgument(input);
    const sessions = (await withStore(input.config(), (store) => sessionsOf(store, account.id, Date.now()))).map(sessionView);
    const rows = sessions.map((s) => [s.id, when(Date.parse(s.started_at)), when(Date.parse(s.last_used_at)), s.systems.join(', '), s.logins.map((l) => l.method).join(', '), s.browser]);
    input.out.print({ account_id: account.id, sessions }, sessions.length ? table(['SESSION', 'STARTED', 'LAST USED', 'SYSTEMS', 'METHODS', 'BROWSER'], rows) : `${accountName(account)} has no live session.`);
  },
};

const revoke: Command = {
  name: 'sessions revoke',
  args: ['<account>'],
  options: { session: { type: 'string' } },
  optionsUsage: '[--session ID]',
  summary: "end the account's sessions (or the one named) on every instance at once; its systems get a back-channel logout",
  async run(input) {
    const { account } = await accountArgument(input);
    const only = stringOption(input, 'session');
    const revoked = await withSessionEnding(input, (deps) => revokeAccountSessions(deps, account, { via: 'cli' }, (s) => only === undefined || s.id === only));
    if (only !== undefined && !revoked.revoked) throw new UsageError(`${accountName(account)} has no live session "${only}" (see: portvagt sessions list ${input.args[0]})`);
    input.out.print({ account_id: account.id, revoked: revoked.revoked, reference: revoked.reference ?? null }, revoked.reference ? `Ended ${revoked.revoked} session(s) of ${accountName(account)} (reference ${revoked.reference})` : `${accountName(account)} had no live session.`);
  },
};

export const sessionCommands: Command[] = [list, revoke];
