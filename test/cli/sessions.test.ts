import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRepository } from '../../src/accounts/accounts.ts';
import { accountSessionsKey, sessionKey, type SsoRecord } from '../../src/sessions/broker-session.ts';
import { migrate, openDurableStore, type DurableStore } from '../../src/store/durable/database.ts';
import { openEphemeralStore } from '../../src/store/ephemeral/index.ts';
import type { EphemeralStore } from '../../src/store/ephemeral/ephemeral-store.ts';
import { setupCli, type CliSetup } from './cli-runner.ts';

/**
 * `portvagt sessions list|revoke` on the store the instances share: a session as an instance keeps it
 * (its record under its id, indexed by account), listed without a CPR fingerprint, and ended there.
 */

let cli: CliSetup;
let durable: DurableStore;
let store: EphemeralStore;
let accountId: string;

const record = (id: string, clients: string[]): SsoRecord => ({
  accountId,
  tenant: 'acme',
  startedAt: Date.now() - 60_000,
  usedAt: Date.now() - 30_000,
  expiresAt: Date.now() + 1_800_000,
  logins: [{ method: 'mitid', issuer: 'https://mitid.example', subject: `subject-${id}`, level: 'substantial', authTime: Date.now() - 60_000, cprFingerprint: 'fingerprint-never-shown' }],
  clients,
  browser: 'Firefox 140, Linux',
});

beforeAll(async () => {
  cli = await setupCli();
  durable = openDurableStore({ databaseUrl: cli.config.storage.database_url, dataDir: cli.config.storage.data_dir });
  await migrate(durable);
  accountId = (await new AccountRepository(durable.db).create({ tenant: 'acme', username: 'anna', displayName: 'Anna Hansen' })).id;
  const { storage } = cli.config;
  store = openEphemeralStore({ redisUrl: storage.redis_url, redisPrefix: storage.redis_prefix, dataDir: storage.data_dir });
  for (const [id, clients] of [['first-session', ['ims']], ['second-session', ['ims']]] as const) {
    await store.set(sessionKey(id), { cookie: {}, sso: record(id, [...clients]) }, 1800, accountSessionsKey(accountId));
  }
});
afterAll(async () => {
  await store?.close();
  await durable?.close();
  await cli?.close();
});

describe('portvagt sessions', { timeout: 90_000 }, () => {
  it("lists the account's live sessions, never a CPR fingerprint", async () => {
    const listed = await cli.run(['sessions', 'list', 'acme/anna', '--json']);
    expect(listed.stderr).toBe('');
    const answer = JSON.parse(listed.stdout) as { sessions: { id: string; systems: string[]; browser: string }[] };
    expect(answer.sessions.map((s) => s.id).sort()).toEqual(['first-session', 'second-session']);
    expect(answer.sessions[0]).toMatchObject({ systems: ['ims'], browser: 'Firefox 140, Linux' });
    expect(listed.stdout).not.toContain('fingerprint');
    expect((await cli.run(['sessions', 'list', 'acme/anna'])).stdout).toMatch(/^first-session\s+.+\s+ims\s+mitid\s+Firefox 140, Linux$/m);
  });

  it('ends one session, then the rest, in the shared store, each an audit event; an unknown session is a usage error', async () => {
    const unknown = await cli.run(['sessions', 'revoke', 'acme/anna', '--session', 'no-such-session']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/has no live session "no-such-session"/);

    const one = JSON.parse((await cli.run(['sessions', 'revoke', 'acme/anna', '--session', 'first-session', '--json'])).stdout) as { revoked: number; reference: string };
    expect(one.revoked).toBe(1);
    expect(await store.get(sessionKey('first-session'))).toBeUndefined();
    expect(await store.get(sessionKey('second-session'))).toBeDefined();
    expect((await cli.run(['events', one.reference])).stdout).toContain('manage.session.revoke');

    expect((await cli.run(['sessions', 'revoke', 'acme/anna'])).stdout).toMatch(/^Ended 1 session\(s\) of .*anna/m);
    expect(await store.get(sessionKey('second-session'))).toBeUndefined();
    expect((await cli.run(['sessions', 'list', 'acme/anna'])).stdout).toMatch(/has no live session/);
  });
});
