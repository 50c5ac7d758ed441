import { afterAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';

/** Audit records are kept `audit.retention_days` (docs/operating.md, "What the audit log holds"): an instance deletes older ones by itself. */

let h: Harness | undefined;
let restarted: Harness | undefined;
afterAll(async () => {
  await restarted?.close();
});

const DAY = 86_400_000;

describe('audit retention', () => {
  it('deletes the records older than the retention when an instance starts, and keeps the rest', async () => {
    h = await startHarness({ configure: (raw) => void (raw.audit = { retention_days: 30 }) });
    const row = (reference: string, daysAgo: number) => ({ reference, at: Date.now() - daysAgo * DAY, event: 'logged-in', outcome: 'success', code: null, tenant: 'acme', client_id: 'test-rp', method: 'mitid', account_id: null, upstream_reason: null, detail: null });
    await h.portvagt.durable.db.insertInto('audit_events').values([row('OLD-31-DAYS', 31), row('NEW-29-DAYS', 29)]).execute();
    await h.stopBroker();
    restarted = await startHarness({ restartOf: h, configure: (raw) => void (raw.audit = { retention_days: 30 }) });
    await expect.poll(async () => (await restarted!.portvagt.audit.byReference('OLD-31-DAYS')).length).toBe(0);
    expect(await restarted.portvagt.audit.byReference('NEW-29-DAYS')).toHaveLength(1);
    expect(restarted.logLines.some((l) => l.includes('"event":"audit.prune"') && l.includes('"deleted":1'))).toBe(true);
  });
});
