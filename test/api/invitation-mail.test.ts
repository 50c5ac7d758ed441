import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGEMENT_SCOPE } from '../../src/provider/provider.ts';
import { RP_REDIRECT, startHarness, type Harness } from '../helpers/harness.ts';
import { REFUSED_DOMAIN, SMTP_PASSWORD, SMTP_USER, startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';
import { pageTime } from '../../src/i18n/page-time.ts';

const ADMIN = { client_id: 'ims-admin', client_secret: 'ims-admin-secret-0123456789' };
let h: Harness;
let smtp: TestSmtpServer;
let token: string;

beforeAll(async () => {
  smtp = await startSmtpServer();
  h = await startHarness({
    configure: (raw) => {
      raw.smtp = { host: '127.0.0.1', port: smtp.port, tls: 'none', user: SMTP_USER, password: SMTP_PASSWORD, from: 'Portvagt <noreply@portvagt.example>' };
      const rp = (raw.clients as Record<string, unknown>[])[0]!;
      Object.assign(rp, {
        primary_color: '#7a1f5c',
        logo_url: '/static/logos/test.svg',
        invitation_mail: { first_login_url: 'https://rp.example/first-login', reply_to: 'support@rp.example', texts: { en: { subject: 'Welcome to {system}, {name}' } } },
      });
      // Whom an invited user asks when the first-time login does not work: the company's support.
      (raw.tenants as Record<string, unknown>[])[0]!.support = { name: 'Acme IT', phone: '+45 33 33 33 33', email: 'it@acme.example' };
      (raw.clients as Record<string, unknown>[]).push({ ...ADMIN, display_name: 'IMS administration', redirect_uris: [RP_REDIRECT], tenants: ['acme'], login_methods: ['mitid'], management_scopes: [MANAGEMENT_SCOPE] });
    },
  });
  const admin = await client.discovery(new URL(h.base), ADMIN.client_id, ADMIN.client_secret, undefined, { execute: [client.allowInsecureRequests] });
  token = (await client.clientCredentialsGrant(admin, { scope: MANAGEMENT_SCOPE })).access_token;
});
afterAll(async () => {
  await h?.close();
  await smtp?.close();
});

async function invite(accountId: string, body: unknown) {
  const response = await fetch(`${h.base}/api/v1/accounts/${accountId}/invitations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, reference: response.headers.get('x-portvagt-reference'), body: (await response.json()) as Record<string, string> };
}

const account = (username: string, email: string | null) => h.portvagt.accounts.create({ tenant: 'acme', username, displayName: 'Anna Hansen', email });
const allEvents = () => h.portvagt.durable.db.selectFrom('audit_events').selectAll().execute();

describe('invitation e-mails through the management API', () => {
  it('sends the first-time login in Danish in the system’s name and colours; the password in it works', async () => {
    const anna = await account('anna.mail', 'anna@acme.example');
    const answer = await invite(anna.id, { send: true, client_id: 'test-rp' });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ account_id: anna.id, username: 'anna.mail', sent_to: 'anna@acme.example' });
    expect(answer.body.password).toBeUndefined();

    const mail = smtp.received.at(-1)!;
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('anna@acme.example');
    expect(mail.from?.value).toEqual([{ name: 'Portvagt', address: 'noreply@portvagt.example' }]);
    expect(mail.replyTo?.text).toBe('support@rp.example');
    expect(mail.subject).toBe('Dit førstegangslogin til Test System');
    const text = mail.text!;
    const password = /Engangsadgangskode: (\S+)/.exec(text)?.[1];
    expect(text).toContain('Hej Anna Hansen');
    expect(text).toContain('Brugernavn: anna.mail');
    expect(text).toContain('https://rp.example/first-login');
    // The pages' own words for a time, Danish time and saying so.
    const expires = pageTime('da', new Date(answer.body.expires_at!));
    expect(expires).toMatch(/^\d{1,2}\. \w+ \d{4} kl\. \d{2}:\d{2} \(dansk tid\)$/);
    expect(text).toContain(`udløber ${expires}.`);
    expect(text).toContain('Virker førstegangsloginet ikke, så kontakt Acme IT: +45 33 33 33 33, it@acme.example.');
    const html = String(mail.html);
    expect(html).toContain('background:#7a1f5c;color:#ffffff');
    expect(html).toContain(`data-password>${password}<`);
    expect(html).toContain(`src="${h.base}/static/logos/test.svg"`);
    expect(html).toContain('href="https://rp.example/first-login"');
    expect(html).toMatch(/data-contact>Virker førstegangsloginet ikke, så kontakt Acme IT: \+45 33 33 33 33, it@acme.example\.</);
    expect(await h.portvagt.invitations.check(anna.id, password!)).toMatchObject({ ok: true });

    const events = await h.portvagt.audit.byReference(answer.reference!);
    expect(events.map((e) => [e.event, e.outcome])).toEqual([['manage.invitation.issue', 'success'], ['manage.invitation.send', 'success']]);
  });

  it("sends in English, with the system's own subject", async () => {
    const bo = await account('bo.mail', 'bo@acme.example');
    expect((await invite(bo.id, { send: true, client_id: 'test-rp', locale: 'en' })).status).toBe(201);
    const mail = smtp.received.at(-1)!;
    expect(mail.subject).toBe('Welcome to Test System, Anna Hansen');
    expect(mail.text).toMatch(/One-time password: \S{14}\n/);
    expect(mail.text).toContain('Start your first-time login here:');
  });

  it('mails in the calling system’s name by default, with the link text when it has no first-time-login link', async () => {
    const cy = await account('cy.mail', 'cy@acme.example');
    expect((await invite(cy.id, { send: true })).status).toBe(201);
    const mail = smtp.received.at(-1)!;
    expect(mail.subject).toBe('Dit førstegangslogin til IMS administration');
    expect(mail.text).toContain('Åbn IMS administration og vælg "Førstegangslogin".');
  });

  it('answers a failed send with 502 and a valid invitation, records the failure, and never logs the password', async () => {
    const dan = await account('dan.mail', `dan@${REFUSED_DOMAIN}`);
    const answer = await invite(dan.id, { send: true, client_id: 'test-rp' });
    expect(answer.status).toBe(502);
    expect(answer.body.error).toBe('mail_failed');
    expect(answer.body.error_description).toMatch(/could not be sent \(EENVELOPE 550 .*\); the invitation is valid/);
    const password = answer.body.password!;
    expect(await h.portvagt.invitations.check(dan.id, password)).toMatchObject({ ok: true });
    const recorded = await h.portvagt.audit.byReference(answer.reference!);
    expect(recorded.map((e) => [e.event, e.outcome])).toEqual([['manage.invitation.issue', 'success'], ['manage.invitation.send', 'failure']]);
    expect(recorded[1]!.detail).toMatch(/550/);

    // No log line and no audit event carries a one-time password, sent or not.
    const passwords = [password, ...smtp.received.map((m) => /(?:Engangsadgangskode|One-time password): (\S+)/.exec(m.text!)![1]!)];
    expect(passwords).toHaveLength(4);
    const log = h.logLines.join('\n');
    expect(log).toContain('"event":"manage.invitation.issue"');
    const events = JSON.stringify(await allEvents());
    expect(events).toContain('manage.invitation.send');
    expect(passwords.filter((p) => log.includes(p) || events.includes(p))).toEqual([]);
  });

  it('refuses with 400 and issues nothing when the account has no e-mail or the system does not serve its tenant', async () => {
    const eve = await account('eve.mail', null);
    const noAddress = await invite(eve.id, { send: true });
    expect(noAddress).toMatchObject({ status: 400, body: { error: 'invalid_request', error_description: 'account acme/eve.mail has no e-mail address' } });
    const fay = await account('fay.mail', 'fay@acme.example');
    expect((await invite(fay.id, { send: true, client_id: 'no-such-system' })).status).toBe(400);
    expect((await invite(fay.id, { send: 'yes' })).status).toBe(400);
    expect(await h.portvagt.invitations.list(eve.id)).toEqual([]);
    expect(await h.portvagt.invitations.list(fay.id)).toEqual([]);
  });
});
