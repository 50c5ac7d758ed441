import { sessionView } from '../../api/views.ts';
import { brokerProvider } from '../../broker-provider.ts';
import { systemClock } from '../../clock.ts';
import { pageRenderer } from '../../http/page.ts';
import { pageTokens } from '../../http/page-token.ts';
import { createLogger } from '../../logger.ts';
import { Metrics } from '../../ops/metrics.ts';
import { errorPages } from '../../outcomes/error-page.ts';
import { OutcomeJournal } from '../../outcomes/journal.ts';
import { revokeAccountSessions } from '../../provider/session-revocation.ts';
import { keyLifecycle } from '../../provider/signing-keys.ts';
import { sessionsOf } from '../../sessions/session-index.ts';
import type { EphemeralStore } from '../../store/ephemeral/ephemeral-store.ts';
import { createConnectors } from '../../upstream/registry.ts';
import { stringOption, type Command, type CommandInput } from '../command.ts';
import { table, when } from '../output.ts';
import { accountName, resolveAccount } from '../resolve.ts';
import { withStore } from '../shared-store.ts';
import { UsageError } from '../usage-error.ts';

const list: Command = {
  name: 'sessions list',
  args: ['<account>'],
  summary: "the account's live single sign-on sessions: started, last used, systems, login methods, browser",
  async run(input) {
    const { accounts } = await input.stores();
    const account = await resolveAccount(input.args[0]!, input.config(), accounts);
    const sessions = (await withStore(input.config(), (store) => sessionsOf(store, account.id, Date.now()))).map(sessionView);
    const rows = sessions.map((s) => [s.id, when(Date.parse(s.started_at)), when(Date.parse(s.last_used_at)), s.systems.join(', '), s.logins.map((l) => l.method).join(', '), s.browser]);
    input.out.print({ account_id: account.id, sessions }, sessions.length ? table(['SESSION', 'STARTED', 'LAST USED', 'SYSTEMS', 'METHODS', 'BROWSER'], rows) : `${accountName(account)} has no live session.`);
  },
};

/**
 * The instances' provider, made here as every instance makes it (their keys, clients and store), to
 * end the sessions' OpenID Connect sessions and sign the systems' logout tokens. A delivery that
 * fails is tried once from here; an instance retries those it sends itself.
 */
async function revocationDeps(input: CommandInput, store: EphemeralStore) {
  const config = input.config();
  const stores = await input.stores();
  const log = createLogger({ level: 'warn', destination: input.stderr });
  const metrics = new Metrics(config);
  const journal = new OutcomeJournal({ audit: stores.audit, metrics, log });
  const pages = pageRenderer({ accessibilityStatementUrl: config.accessibility_statement_url });
  const { fail } = errorPages({ config, journal, pages, store, tokens: pageTokens(config.secrets.cookie_keys) });
  const connectors = createConnectors(config.methods.values(), config.timeouts.upstream_http_ms, log);
  const { provider } = await brokerProvider(config, { durable: stores.durable, store, accounts: stores.accounts, pages, fail, log, metrics, journal, connectors, clock: systemClock, lifecycle: keyLifecycle(config) });
  return { provider, store, ops: stores.ops, clock: systemClock };
}

const revoke: Command = {
  name: 'sessions revoke',
  args: ['<account>'],
  options: { session: { type: 'string' } },
  optionsUsage: '[--session ID]',
  summary: "end the account's sessions (or the one named) on every instance at once; its systems get a back-channel logout",
  async run(input) {
    const { accounts } = await input.stores();
    const account = await resolveAccount(input.args[0]!, input.config(), accounts);
    const only = stringOption(input, 'session');
    const revoked = await withStore(input.config(), async (store) => revokeAccountSessions(await revocationDeps(input, store), account, { via: 'cli' }, only));
    if (!revoked) throw new UsageError(`${accountName(account)} has no live session "${only}" (see: portvagt sessions list ${input.args[0]})`);
    input.out.print({ account_id: account.id, revoked: revoked.revoked, reference: revoked.reference }, `Ended ${revoked.revoked} session(s) of ${accountName(account)} (reference ${revoked.reference})`);
  },
};

export const sessionCommands: Command[] = [list, revoke];
