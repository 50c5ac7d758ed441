import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRepository } from '../../src/accounts/accounts.ts';
import { AuditLog } from '../../src/outcomes/audit-log.ts';
import { cprFingerprint } from '../../src/accounts/cpr.ts';
import { InvitationRepository } from '../../src/accounts/invitations.ts';
import { newReference } from '../../src/errors/reference.ts';
import { migrate, openDurableStore, type DurableStore } from '../../src/store/durable/database.ts';
import { CPR_KEY, setupCli, type CliResult, type CliSetup } from './cli-runner.ts';

let cli: CliSetup;
let store: DurableStore;
let accounts: AccountRepository;

beforeAll(async () => {
  cli = await setupCli();
  // The test reads and seeds the same database the CLI works on.
  store = openDurableStore({ databaseUrl: cli.config.storage.database_url, dataDir: cli.config.storage.data_dir });
  await migrate(store);
  accounts = new AccountRepository(store.db);
});
afterAll(async () => {
  await store?.close();
  await cli?.close();
});

const json = <T>(result: CliResult): T => {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
};

/** A failure the operator can read: exit 2 and exactly one line on stderr, no stack trace. */
function expectUsageError(result: CliResult, message: string | RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/);
}

/** Runs independent bad commands side by side; each must be refused with its message. */
async function expectAllRefused(cases: [string[], RegExp][]): Promise<void> {
  const results = await Promise.all(cases.map(([args]) => cli.run(args)));
  results.forEach((result, i) => expectUsageError(result, cases[i]![1]));
}

async function createAccount(username: string, tenant = 'acme') {
  const { account } = json<{ account: { id: string; username: string; status: string } }>(
    await cli.run(['accounts', 'create', '--tenant', tenant, '--username', username, '--name', `Name of ${username}`, '--json']),
  );
  return account;
}

describe('the operator CLI', () => {
  it('creates, lists, disables and enables accounts', async () => {
    const created = await cli.run(['accounts', 'create', '--tenant', 'acme', '--username', 'jens.hansen', '--name', 'Jens Hansen', '--email', 'jens@acme.example']);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Created account acme\/jens\.hansen with id [0-9a-f-]{36} \(reference [A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\)\n$/);
    await createAccount('other.user', 'beta');

    const table = await cli.run(['accounts', 'list', '--tenant', 'acme']);
    expect(table.stdout).toMatch(/USERNAME\s+NAME\s+STATUS/);
    expect(table.stdout).toMatch(/jens\.hansen\s+Jens Hansen\s+active\s+jens@acme\.example/);
    expect(table.stdout).not.toContain('other.user');

    expect((await cli.run(['accounts', 'disable', 'acme/jens.hansen'])).stdout).toContain('Disabled account acme/jens.hansen');
    const listed = json<{ username: string; status: string }[]>(await cli.run(['accounts', 'list', '--json']));
    expect(listed.map((a) => `${a.username}:${a.status}`)).toEqual(['jens.hansen:disabled', 'other.user:active']);
    const account = await accounts.findByUsername('acme', 'jens.hansen');
    expect(account!.status).toBe('disabled');

    // Accounts can be named by id too.
    expect((await cli.run(['accounts', 'enable', account!.id])).code).toBe(0);
    expect((await accounts.find(account!.id))!.status).toBe('active');
  });

  it('prints a new one-time password once per invitation; only the newest one is valid', async () => {
    const account = await createAccount('invited');
    const first = json<{ password: string; expires_at: string }>(await cli.run(['invitations', 'issue', 'acme/invited', '--json']));
    const second = await cli.run(['invitations', 'issue', 'acme/invited']);
    const password = /One-time password for acme\/invited: (\S+)/.exec(second.stdout)?.[1];
    expect(password).toBeDefined();
    expect(password).not.toBe(first.password);
    expect(second.stdout).toMatch(/Expires \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(Date.parse(first.expires_at) - Date.now()).toBeGreaterThan(13 * 24 * 3600 * 1000);

    const invitations = new InvitationRepository(store.db, { validityDays: 14, maxAttempts: 5 });
    expect(await invitations.check(account.id, password!)).toMatchObject({ ok: true });
    const listed = await cli.run(['invitations', 'list', 'acme/invited']);
    expect(listed.stdout).toMatch(/\bopen\b/);
    expect(listed.stdout).toMatch(/\brevoked\b/);
    // The list never shows a password or its hash.
    expect(listed.stdout).not.toContain(password);
    expect(listed.stdout).not.toContain('$argon2');

    expect((await cli.run(['invitations', 'revoke', 'acme/invited'])).stdout).toContain('Revoked 1 open invitation of acme/invited');
    expect(await invitations.check(account.id, password!)).toMatchObject({ ok: false, reason: 'void' });
  });

  it('refuses to remove the last login method without --force', async () => {
    const account = await createAccount('linked');
    await accounts.link(account.id, { method: 'mitid', issuer: 'https://mitid.example', subject: 'mitid-subject-1' });

    const links = json<{ method: string; subject: string }[]>(await cli.run(['links', 'list', 'acme/linked', '--json']));
    expect(links).toMatchObject([{ method: 'mitid', subject: 'mitid-subject-1' }]);
    expectUsageError(await cli.run(['links', 'remove', 'acme/linked', 'mitid']), /"mitid" is the last login method of acme\/linked; add --force/);
    expect(await accounts.links(account.id)).toHaveLength(1);
    expectUsageError(await cli.run(['links', 'remove', 'acme/linked', 'nemid']), /acme\/linked has no "nemid" login/);

    expect((await cli.run(['links', 'remove', 'acme/linked', 'mitid', '--force'])).stdout).toContain('Removed the mitid login of acme/linked');
    expect(await accounts.links(account.id)).toEqual([]);
  });

  it('rotates the signing key: the next key is published first and signs after the delay; --now warns', async () => {
    // With no key yet, the first one signs at once.
    const first = json<{ kid: string }>(await cli.run(['keys', 'rotate', '--json']));
    const delayed = await cli.run(['keys', 'rotate']);
    expect(delayed.stderr).toBe('');
    expect(delayed.stdout).toMatch(/^New signing key [0-9a-f-]{36} \(reference [A-Z0-9-]{14}\), published now, signing from /);
    let keys = json<{ kid: string; status: string; activates_at: string }[]>(await cli.run(['keys', 'list', '--json']));
    const second = keys[0]!;
    expect(keys.map((k) => `${k.kid}:${k.status}`)).toEqual([`${second.kid}:next`, `${first.kid}:active`]);
    expect(Date.parse(second.activates_at) - Date.now()).toBeGreaterThan(23.9 * 3600 * 1000);

    const urgent = await cli.run(['keys', 'rotate', '--now', '--json']);
    expect(urgent.stderr).toMatch(/^portvagt: warning: the new key signs at once; relying parties that cached the key set/);
    expect(urgent.code).toBe(0);
    const third = JSON.parse(urgent.stdout) as { kid: string };
    keys = json<typeof keys>(await cli.run(['keys', 'list', '--json']));
    expect(keys.map((k) => `${k.kid}:${k.status}`)).toEqual([`${third.kid}:active`, `${second.kid}:retired`, `${first.kid}:retired`]);
    const text = await cli.run(['keys', 'list']);
    expect(text.stdout).not.toMatch(/"d"|private/);
  });

  it('shows the audit events behind a reference id from an error page', async () => {
    const reference = newReference();
    const audit = new AuditLog(store.db);
    await audit.record({ reference, kind: 'failed', result: 'failure', code: 5502, tenant: 'acme', clientId: 'ims', method: 'nemid', upstreamReason: 'nemid:LOCK001', detail: 'upstream error' });
    await audit.record({ reference: newReference(), kind: 'failed', result: 'failure', code: 6001, tenant: 'acme' });

    const shown = await cli.run(['events', reference.toLowerCase()]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/ UTC {2}failed {2}failure {2}code 5502\n/);
    expect(shown.stdout).toContain('upstream: nemid:LOCK001');
    expect(shown.stdout).not.toContain('6001');
    expect(json<{ reference: string; code: number }[]>(await cli.run(['events', reference, '--json']))).toMatchObject([{ reference, code: 5502 }]);
    expectUsageError(await cli.run(['events', 'AAAA-BBBB-CCCC']), /no audit events with reference "AAAA-BBBB-CCCC"/);
  });

  it('stores only the fingerprint of a CPR number read from stdin', async () => {
    const account = await createAccount('cpr.holder');
    const set = await cli.run(['cpr', 'set', 'acme/cpr.holder'], { stdin: '010190-1234\n' });
    expect(set.code).toBe(0);
    expect(set.stdout).not.toContain('1234');
    expect((await accounts.find(account.id))!.cpr_fingerprint).toBe(cprFingerprint({ cpr_hmac_key: CPR_KEY, cpr_hmac_previous_keys: [] }, '0101901234'));

    const tables = ['accounts', 'identity_links', 'invitations', 'signing_keys', 'audit_events'] as const;
    const dump = JSON.stringify(await Promise.all(tables.map((t) => store.db.selectFrom(t).selectAll().execute())));
    expect(dump).not.toMatch(/010190-?1234/);
    const file = join(cli.dataDir, 'portvagt.db');
    for (const path of [file, `${file}-wal`].filter(existsSync)) expect(readFileSync(path).toString('latin1')).not.toMatch(/010190-?1234/);

    // Not a CPR number, or a CPR number on the command line: refused, and the value is not repeated.
    expectUsageError(await cli.run(['cpr', 'set', 'acme/cpr.holder'], { stdin: '320190-1234\n' }), /^portvagt: stdin does not hold a CPR number/);
    const onArgv = await cli.run(['cpr', 'set', 'acme/cpr.holder', '0101901234']);
    expectUsageError(onArgv, /too many arguments; usage: portvagt cpr set <account>/);
    expect(onArgv.stderr).not.toContain('0101901234');
  });

  it('answers unknown commands, options and missing arguments with exit code 2 and a one-line message', async () => {
    await expectAllRefused([
      [['frobnicate'], /unknown command "frobnicate"/],
      [['accounts', 'rename'], /unknown command "accounts rename" \(accounts: create, list, disable, enable, delete\)/],
      [['accounts'], /"accounts" needs one of: create, list, disable, enable/],
      [['invitations', 'issue'], /missing <account>; usage: portvagt invitations issue <account>/],
      [['accounts', 'create', '--tenant', 'acme', '--name', 'X'], /missing --username/],
      [['accounts', 'list', '--colour'], /unknown option --colour/],
      [['accounts', 'list', '--tenant'], /--tenant needs a value/],
    ]);
  });

  it('answers unknown accounts and tenants and a taken username with exit code 2', async () => {
    await expectAllRefused([
      [['accounts', 'disable', 'acme/nobody'], /unknown account "acme\/nobody"/],
      [['accounts', 'disable', 'gamma/nobody'], /unknown tenant "gamma"/],
      [['invitations', 'issue', '00000000-0000-0000-0000-000000000000'], /unknown account "00000000-0000-0000-0000-000000000000"/],
      [['accounts', 'create', '--tenant', 'gamma', '--username', 'x', '--name', 'X'], /unknown tenant "gamma" \(configured: acme, beta\)/],
      [['accounts', 'create', '--tenant', 'acme', '--username', 'two words', '--name', 'X'], /--username: no spaces or slashes/],
      [['accounts', 'create', '--tenant', 'acme', '--username', 'x', '--name', 'X', '--email', 'not-an-email'], /--email: /],
    ]);

    await createAccount('taken');
    expectUsageError(await cli.run(['accounts', 'create', '--tenant', 'acme', '--username', 'taken', '--name', 'Again']), /username "taken" already exists in tenant "acme"/);
  });

  it('checks the configuration, naming a bad key', async () => {
    const ok = await cli.run(['config', 'check']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/is valid\.\n/);
    expect(ok.stdout).toMatch(/tenants: +acme \(Acme A\/S\), beta \(Beta ApS\)/);
    expect(ok.stdout).not.toContain('ims-secret');
    expect(ok.stdout).not.toContain(CPR_KEY);

    // An environment override breaks the configuration: the message names the key.
    const invalid = await cli.run(['config', 'check'], { env: { PORTVAGT_CPR_HMAC_KEY: 'too-short' } });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/secrets\.cpr_hmac_key: at least 32 characters/);
    expect(invalid.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});

// The two runs below start real processes (tsx compiles on the fly), so they get more time than a request needs.
describe('the operator CLI started by the npx launcher', { timeout: 60_000 }, () => {
  it('prints its help with every command group', async () => {
    const help = await cli.spawn(['--help']);
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    for (const group of ['accounts create', 'invitations issue', 'links remove', 'keys rotate', 'events', 'cpr set', 'config check']) expect(help.stdout).toContain(`portvagt ${group}`);
  });

  it('checks the configuration in a process of its own and exits 0', async () => {
    const ok = await cli.spawn(['config', 'check']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/is valid\.\n/);
    expect(ok.stdout).not.toContain('ims-secret');
  });
});
