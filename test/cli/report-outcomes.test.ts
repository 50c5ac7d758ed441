import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { BrokerError } from '../../src/errors/broker-error.ts';
import { Metrics } from '../../src/ops/metrics.ts';
import { AuditLog } from '../../src/outcomes/audit-log.ts';
import { OutcomeJournal } from '../../src/outcomes/journal.ts';
import { OUTCOME_KINDS, type Outcome, type OutcomeKind } from '../../src/outcomes/outcome.ts';
import { migrate, openDurableStore, type DurableStore } from '../../src/store/durable/database.ts';
import { setupCli, type CliSetup } from './cli-runner.ts';

/**
 * The report counts what the flows record, through the one journal they record it with: one outcome
 * of every kind, each counted under its kind, and only a released login (upstream or from the session) as a login and only an
 * outcome with a code as a failure (a cancel or a mistyped CPR number is neither, never a 500).
 */

let cli: CliSetup;
let store: DurableStore;

const where = { route: 'callback', clientId: 'ims', tenant: 'acme' };
const EVERY_KIND: Record<OutcomeKind, Outcome> = {
  'logged-in': { kind: 'logged-in', action: 'link', method: 'mitid', accountId: 'acc-1' },
  'sso-released': { kind: 'sso-released', method: 'mitid', accountId: 'acc-1' },
  'session-started': { kind: 'session-started', method: 'mitid', accountId: 'acc-1' },
  'logged-out': { kind: 'logged-out', accountId: 'acc-1', systems: ['ims'] },
  'method-linked': { kind: 'method-linked', method: 'nemid', accountId: 'acc-1' },
  'method-removed': { kind: 'method-removed', method: 'nemid', accountId: 'acc-1' },
  cancelled: { kind: 'cancelled', method: 'mitid' },
  'cpr-mismatch': { kind: 'cpr-mismatch', method: 'mitid', accountId: 'acc-1', attempt: 1 },
  refused: { kind: 'refused', code: 5007, method: 'nemid', reason: 'wrong one-time password' },
  failed: { kind: 'failed', error: new BrokerError(5502, { detail: 'level too low' }), method: 'mitid' },
};

beforeAll(async () => {
  cli = await setupCli();
  store = openDurableStore({ databaseUrl: cli.config.storage.database_url, dataDir: cli.config.storage.data_dir });
  await migrate(store);
  const journal = new OutcomeJournal({ audit: new AuditLog(store.db), metrics: new Metrics(cli.config), log: pino({ level: 'silent' }) });
  for (const outcome of Object.values(EVERY_KIND)) await journal.record(outcome, where);
});
afterAll(async () => {
  await store?.close();
  await cli?.close();
});

describe('portvagt report, by outcome kind', { timeout: 90_000 }, () => {
  it('counts one of every kind under its kind, and only logins and coded failures as such', async () => {
    const result = await cli.run(['report', '--json']);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as { logins: number; failures: number; outcomes: Record<string, number>; codes: { code: number; count: number }[]; methods: { method: string; logins: number; failures: number }[] };
    expect(report.outcomes).toEqual(Object.fromEntries(Object.keys(OUTCOME_KINDS).map((kind) => [kind, 1])));
    expect({ logins: report.logins, failures: report.failures }).toEqual({ logins: 2, failures: 2 });
    expect(report.codes.map((c) => [c.code, c.count]).sort()).toEqual([[5007, 1], [5502, 1]]);
    expect(report.methods.map((m) => [m.method, m.logins, m.failures]).sort()).toEqual([['mitid', 2, 1], ['nemid', 0, 1]]);
  });

  it('says the kinds on a terminal', async () => {
    const result = await cli.run(['report']);
    expect(result.stdout).toMatch(/^Logins 2, failures 2 /m);
    expect(result.stdout).toMatch(/^Outcomes by kind: cancelled 1, cpr-mismatch 1, failed 1, logged-in 1, logged-out 1, method-linked 1, method-removed 1, refused 1, session-started 1, sso-released 1$/m);
  });
});
