import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRepository } from '../../src/accounts/accounts.ts';
import { InvitationRepository } from '../../src/accounts/invitations.ts';
import { migrate, openDurableStore, type DurableStore } from '../../src/store/durable/database.ts';
import { SMTP_USER, startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';
import { setupCli, type CliSetup } from './cli-runner.ts';

let cli: CliSetup;
let smtp: TestSmtpServer;
let store: DurableStore;

beforeAll(async () => {
  smtp = await startSmtpServer();
  // The file's password is wrong; the right one comes from the environment, as in production.
  cli = await setupCli({ smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none', user: SMTP_USER, password: 'not-the-password', from: 'IMS <noreply@ims.example>' } });
  store = openDurableStore({ databaseUrl: cli.config.storage.database_url, dataDir: cli.config.storage.data_dir });
  await migrate(store);
});
afterAll(async () => {
  await store?.close();
  await cli?.close();
  await smtp?.close();
});

describe('invitations issue --send', { timeout: 90_000 }, () => {
  it('mails the invitation (SMTP password from PORTVAGT_SMTP_PASSWORD); a refused login leaves it valid and says why', async () => {
    const accounts = new AccountRepository(store.db);
    const account = await accounts.create({ tenant: 'acme', username: 'ida.cli', displayName: 'Ida Holm', email: 'ida@acme.example' });

    const sent = await cli.run(['invitations', 'issue', 'acme/ida.cli', '--send', '--lang', 'en'], { env: { PORTVAGT_SMTP_PASSWORD: 'smtp-test-password-0123' } });
    expect(sent.stderr).toBe('');
    expect(sent.stdout).toMatch(/^Invitation e-mail sent to ida@acme\.example for acme\/ida\.cli\. Expires .* UTC\. Reference [A-Z0-9-]+\.\n$/);
    expect(smtp.received.at(-1)!.subject).toBe('Your first-time login to IMS');
    expect(smtp.received.at(-1)!.text).toContain('Username: ida.cli');

    const refused = await cli.run(['invitations', 'issue', 'acme/ida.cli', '--send', '--json']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^portvagt: failed: the invitation e-mail could not be sent \(EAUTH 535 .*\); the invitation is valid\n$/);
    const { password } = JSON.parse(refused.stdout) as { password: string };
    expect(await new InvitationRepository(store.db, { validityDays: 14, maxAttempts: 5 }).check(account.id, password)).toMatchObject({ ok: true });
    expect(refused.stderr).not.toContain(password);
  });

  it('refuses --send for an account without e-mail, and --client without --send, with exit code 2', async () => {
    await new AccountRepository(store.db).create({ tenant: 'acme', username: 'no.mail', displayName: 'No Mail' });
    const noMail = await cli.run(['invitations', 'issue', 'acme/no.mail', '--send']);
    expect([noMail.code, noMail.stderr]).toEqual([2, 'portvagt: account acme/no.mail has no e-mail address\n']);
    const stray = await cli.run(['invitations', 'issue', 'acme/no.mail', '--client', 'ims']);
    expect([stray.code, stray.stderr]).toEqual([2, 'portvagt: --client and --lang go with --send\n']);
  });
});
