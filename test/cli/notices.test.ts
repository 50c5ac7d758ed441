import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNotice } from '../../src/ops/upstream-notices.ts';
import { openEphemeralStore } from '../../src/store/ephemeral/index.ts';
import { setupCli, type CliSetup } from './cli-runner.ts';

let cli: CliSetup;
beforeAll(async () => {
  cli = await setupCli();
});
afterAll(async () => {
  await cli?.close();
});

/** The store the running instances read, as they would open it. */
async function noticeSeenByInstances(method: string) {
  const { storage } = cli.config;
  const store = openEphemeralStore({ redisUrl: storage.redis_url, redisPrefix: storage.redis_prefix, dataDir: storage.data_dir });
  try {
    return await readNotice(store, method, Date.now());
  } finally {
    await store.close();
  }
}

describe('notice set / list / clear', { timeout: 90_000 }, () => {
  it('sets a notice the instances read from the shared store, lists it and clears it, each change an audit event', async () => {
    const set = await cli.run(['notice', 'set', 'mitid', 'MitID holder lukket for vedligehold kl. 22–23.', '--en', 'MitID is closed for maintenance 22–23.', '--hours', '2', '--json']);
    expect(set.stderr).toBe('');
    const answer = JSON.parse(set.stdout) as { until: string; reference: string };
    expect(Date.parse(answer.until) - Date.now()).toBeGreaterThan(7_000_000);
    expect(await noticeSeenByInstances('mitid')).toMatchObject({ text: 'MitID holder lukket for vedligehold kl. 22–23.', textEn: 'MitID is closed for maintenance 22–23.' });
    const events = await cli.run(['events', answer.reference]);
    expect(events.stdout).toContain('manage.notice.set');

    expect((await cli.run(['notice', 'list'])).stdout).toMatch(/^mitid\s+\S+ \S+ UTC\s+MitID holder lukket/m);
    expect((await cli.run(['notice', 'clear', 'mitid'])).stdout).toMatch(/^Notice on mitid removed \(reference [A-Z0-9-]+\)\.$/m);
    expect(await noticeSeenByInstances('mitid')).toBeUndefined();
    expect((await cli.run(['notice', 'list'])).stdout).toBe('No notices.\n');
    expect((await cli.run(['notice', 'clear', 'mitid'])).stdout).toBe('mitid had no notice.\n');
  });

  it('refuses an unknown method, an empty or overlong text and a bad --hours with exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['notice', 'set', 'bankid', 'x'], /unknown login method "bankid" \(configured: mitid, nemid\)/],
      [['notice', 'set', 'mitid', '   '], /<text> must be 1 to 300 characters/],
      [['notice', 'set', 'mitid', 'x'.repeat(301)], /<text> must be 1 to 300 characters/],
      [['notice', 'set', 'mitid', 'x', '--hours', 'soon'], /--hours must be a number/],
      [['notice', 'set', 'mitid'], /missing <text>/],
    ];
    for (const [args, message] of cases) {
      const result = await cli.run(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });
});
