import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDurableStore, type DurableStore } from '../../src/store/durable/database.ts';
import { setupCli, type CliResult, type CliSetup } from './cli-runner.ts';

let cli: CliSetup;
let store: DurableStore;
// Events are placed before the start of this hour, so that the hours they fall in do not depend on when the test runs.
const hourStart = Math.floor(Date.now() / 3_600_000) * 3_600_000;

/** One audit event as the flows write them, some minutes before the start of this hour. */
const event = (minutesAgo: number, fields: { event?: string; outcome: 'success' | 'failure'; code?: number; tenant?: string; client?: string; method?: string | null; reference: string }) => ({
  reference: fields.reference,
  at: hourStart - minutesAgo * 60_000,
  event: fields.event ?? (fields.outcome === 'success' ? 'logged-in' : 'failed'),
  outcome: fields.outcome,
  code: fields.code ?? null,
  tenant: fields.tenant ?? 'acme',
  client_id: fields.client ?? 'ims',
  method: fields.method === undefined ? 'mitid' : fields.method,
  account_id: null,
  upstream_reason: null,
  detail: null,
});

beforeAll(async () => {
  cli = await setupCli();
  store = openDurableStore({ databaseUrl: cli.config.storage.database_url, dataDir: cli.config.storage.data_dir });
  await migrate(store);
  await store.db
    .insertInto('audit_events')
    .values([
      ...[1, 2, 3].map((i) => event(30, { outcome: 'success', reference: `LOGIN-000${i}` })),
      event(40, { outcome: 'failure', code: 5501, reference: 'TECH-OLDER' }),
      event(20, { outcome: 'failure', code: 5501, reference: 'TECH-NEWER' }),
      event(25, { outcome: 'failure', code: 5502, method: 'nemid', reference: 'NEMID-5502' }),
      event(35, { outcome: 'failure', code: 3008, method: null, tenant: 'beta', reference: 'NO-METHOD' }),
      event(150, { outcome: 'success', method: 'nemid', reference: 'LOGIN-EARLY' }),
      event(150, { outcome: 'failure', code: 5500, method: 'nemid', reference: 'NEMID-5500' }),
      ...[1, 2, 3, 4, 5].map((i) => event(30 * 60, { outcome: 'failure', code: 501, reference: `DOWN-000${i}` })),
      event(10, { outcome: 'success', event: 'manage.account.create', method: null, reference: 'MANAGE-0001' }),
    ])
    .execute();
});
afterAll(async () => {
  await store?.close();
  await cli?.close();
});

interface JsonReport {
  logins: number;
  failures: number;
  methods: { method: string | null; logins: number; failures: number; codes: { code: number; count: number }[] }[];
  codes: { code: number; count: number; meaning: string; examples: string[] }[];
  hours: { hour: string; logins: number; failures: number }[];
}

const json = (result: CliResult) => {
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as JsonReport;
};

describe('portvagt report', { timeout: 90_000 }, () => {
  it('counts the last 24 hours of logins and failures per method, code (with example references) and hour', async () => {
    const report = json(await cli.run(['report', '--json']));
    expect({ logins: report.logins, failures: report.failures }).toEqual({ logins: 4, failures: 5 });
    expect(report.methods).toEqual([
      { method: 'mitid', logins: 3, failures: 2, codes: [{ code: 5501, count: 2 }] },
      { method: 'nemid', logins: 1, failures: 2, codes: [{ code: 5500, count: 1 }, { code: 5502, count: 1 }] },
      { method: null, logins: 0, failures: 1, codes: [{ code: 3008, count: 1 }] },
    ]);
    expect(report.codes[0]).toEqual({ code: 5501, count: 2, meaning: 'An error at the method', examples: ['TECH-NEWER', 'TECH-OLDER'] });
    expect(report.hours.map((h) => [h.logins, h.failures])).toEqual([[1, 1], [3, 4]]);
    expect(report.hours.map((h) => Date.parse(h.hour))).toEqual([hourStart - 3 * 3_600_000, hourStart - 3_600_000]);
  });

  it('narrows to a tenant or a client and widens with --since', async () => {
    const beta = json(await cli.run(['report', '--tenant', 'beta', '--json']));
    expect({ logins: beta.logins, failures: beta.failures, codes: beta.codes.map((c) => c.code) }).toEqual({ logins: 0, failures: 1, codes: [3008] });
    const twoDays = json(await cli.run(['report', '--since', '48h', '--client', 'ims', '--json']));
    expect(twoDays.codes[0]).toMatchObject({ code: 501, count: 5, examples: ['DOWN-0005', 'DOWN-0004', 'DOWN-0003'] });
  });

  it('reads as text on a terminal', async () => {
    const result = await cli.run(['report']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Logins 4, failures 5 \(55\.6 % of 9 logins and failures\)$/m);
    expect(result.stdout).toMatch(/^mitid\s+3\s+2\s+40\.0 %\s+5501 ×2$/m);
    expect(result.stdout).toMatch(/^5501\s+2\s+40\.0 %\s+An error at the method\s+TECH-NEWER TECH-OLDER$/m);
    expect(result.stdout).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:00\s+3\s+4\s+=+x+$/m);
  });

  it('refuses a bad --since, an unknown tenant or client with exit code 2', async () => {
    for (const [args, message] of [
      [['--since', 'yesterday'], /--since must be a duration like 24h/],
      [['--since', '2999-01-01'], /--since must be a duration like 24h/],
      [['--tenant', 'gamma'], /unknown tenant "gamma"/],
      [['--client', 'nope'], /unknown client "nope"/],
    ] as const) {
      const result = await cli.run(['report', ...args]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });
});
