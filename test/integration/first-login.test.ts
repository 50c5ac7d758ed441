import { describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/i18n.ts';
import { Browser, type Page } from '../helpers/browser.ts';
import {
  chooseMethod,
  errorCode,
  identities,
  linkedAccount,
  openAuthorize,
  toRp,
  rpAuthorizeUrl,
  rpExchange,
  useHarness,
  upstreamLogin,
} from '../helpers/harness.ts';

// A two-second form lifetime lets the 6000 test wait it out.
const h = useHarness({
  configure: (raw) => {
    raw.timeouts = { first_login: 60 };
    raw.support = { name: 'Portvagt-support', phone: '+45 70 00 00 00' };
    (raw.tenants as Record<string, unknown>[])[0]!.support = { name: 'Acme IT', phone: '+45 33 33 33 33' };
  },
});

/** The page of an invitation that can no longer be used, told to whoever typed its right password: its wording, no retry, and the tenant's support. */
function expectDeadEnd(page: Page, variant: 'invitation-expired' | 'invitation-locked'): void {
  expect(errorCode(page)).toBe(5007);
  expect(page.body).toContain(escaped(translate('da', `codes.5007.variants.${variant}.title`)));
  expect(page.body).toContain('Acme IT');
  expect(page.body).toContain('+45 33 33 33 33');
  expect(page.body).not.toContain(translate('da', 'ui.errorPage.tryAgain'));
}

let counter = 0;
const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;');

async function invitedAccount() {
  const account = await h.portvagt.accounts.create({ tenant: 'acme', username: `invited.${++counter}`, displayName: `Invited ${counter}` });
  const invitation = await h.portvagt.invitations.issue(account.id);
  return { account, password: invitation.password };
}

/** Runs the upstream part of a first-time login; returns the page after the callback (the form, or an error). */
async function firstLoginUpTo(browser: Browser, method: string, subject: string) {
  const login = await rpAuthorizeUrl(h, { action: 'first-login' });
  const chooser = await openAuthorize(browser, login);
  const page = await upstreamLogin(browser, await chooseMethod(browser, chooser, method), subject);
  return { login, page };
}

function submitForm(browser: Browser, form: Page, username: string, password: string) {
  return browser.submit(form, { form: (f) => f.action.endsWith('/first-login'), fields: { username, password }, until: toRp });
}

const linksOf = async (accountId: string) => (await h.portvagt.accounts.links(accountId)).map((l) => `${l.method}:${l.subject}`);

describe('first-time login', () => {
  it('links the upstream identity to the invited account and logs the user in', async () => {
    const { account, password } = await invitedAccount();
    const browser = new Browser();
    const subject = identities.mitid[1]!.sub;
    const { login, page } = await firstLoginUpTo(browser, 'mitid', subject);
    expect(page.body).toContain('name="password"');
    const back = await submitForm(browser, page, account.username, password);
    expect(back.stopped).toBe(true);
    expect((await rpExchange(h, login, back.url)).claims()!.sub).toBe(account.id);
    expect(await linksOf(account.id)).toEqual([`mitid:${subject}`]);

    // The next plain login with the same MitID identity now reaches the account.
    const next = new Browser();
    const again = await rpAuthorizeUrl(h);
    const done = await upstreamLogin(next, await chooseMethod(next, await openAuthorize(next, again), 'mitid'), subject);
    expect((await rpExchange(h, again, done.url)).claims()!.sub).toBe(account.id);
  });

  it('answers a wrong password with 5007 and lets the user try again', async () => {
    const { account, password } = await invitedAccount();
    const browser = new Browser();
    const { login, page } = await firstLoginUpTo(browser, 'nemid', identities.nemid[1]!.sub);
    const wrong = await submitForm(browser, page, account.username, 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(errorCode(wrong)).toBe(5007);
    const right = await submitForm(browser, wrong, account.username, password);
    expect((await rpExchange(h, login, right.url)).claims()!.sub).toBe(account.id);
  });

  it('gives the same 5007 for an unknown username', async () => {
    const browser = new Browser();
    const { page } = await firstLoginUpTo(browser, 'nemid', identities.nemid[2]!.sub);
    const unknown = await submitForm(browser, page, 'nobody.here', 'whatever-password');
    expect(errorCode(unknown)).toBe(5007);
    expect(unknown.status).toBe(401);
  });

  it('refuses an expired invitation with 5007: the right password learns it has expired and whom to ask, a wrong one learns nothing', async () => {
    const { account, password } = await invitedAccount();
    await h.portvagt.durable.db.updateTable('invitations').set({ expires_at: Date.now() - 1000 }).where('account_id', '=', account.id).execute();
    const browser = new Browser();
    const { page } = await firstLoginUpTo(browser, 'nordigo-2fa', identities['2fa'][1]!.sub);
    const wrong = await submitForm(browser, page, account.username, 'not-the-password');
    expect(errorCode(wrong)).toBe(5007);
    expect(wrong.body).toContain('name="password"');
    expectDeadEnd(await submitForm(browser, wrong, account.username, password), 'invitation-expired');
    expect(await linksOf(account.id)).toEqual([]);
  });

  it('voids the invitation after the attempt limit: the right password no longer works', async () => {
    const { account, password } = await invitedAccount();
    const browser = new Browser();
    const { page } = await firstLoginUpTo(browser, 'mitid-erhverv', identities['mitid-erhverv'][1]!.sub);
    let current = page;
    for (let i = 0; i < h.config.invitations.max_attempts; i++) current = await submitForm(browser, current, account.username, `wrong-${i}`);
    // The same form for a wrong password after the lock: nothing told to someone who does not know the password.
    const guess = await submitForm(browser, current, account.username, 'another-guess');
    expect(guess.body).toContain('name="password"');
    const late = await submitForm(browser, guess, account.username, password);
    expectDeadEnd(late, 'invitation-locked');
    expect(await linksOf(account.id)).toEqual([]);
    const [invitation] = await h.portvagt.invitations.list(account.id);
    expect(invitation!.status).toBe('void');
  });

  it('answers 6002 when the upstream identity already belongs to an account', async () => {
    const subject = identities.mitid[2]!.sub;
    await linkedAccount(h, 'mitid', subject);
    const { account } = await invitedAccount();
    const { page } = await firstLoginUpTo(new Browser(), 'mitid', subject);
    expect(errorCode(page)).toBe(6002);
    expect(await linksOf(account.id)).toEqual([]);
  });

  it('answers 6002 when the invited account already has that login method', async () => {
    const { account, password } = await invitedAccount();
    await h.portvagt.accounts.link(account.id, { method: 'nordigo-2fa', issuer: h.issuerOf('nordigo-2fa'), subject: 'someone-else' });
    const browser = new Browser();
    const { page } = await firstLoginUpTo(browser, 'nordigo-2fa', identities['2fa'][2]!.sub);
    const result = await submitForm(browser, page, account.username, password);
    expect(errorCode(result)).toBe(6002);
    expect(await linksOf(account.id)).toEqual(['nordigo-2fa:someone-else']);
    const [invitation] = await h.portvagt.invitations.list(account.id);
    expect(invitation!.status).toBe('open');
  });

  it('answers 6000 when the form was left idle past its limit', async () => {
    const { account, password } = await invitedAccount();
    const browser = new Browser();
    const { page } = await firstLoginUpTo(browser, 'mitid', identities.mitid[0]!.sub);
    h.clock.advance(61_000);
    expect(errorCode(await submitForm(browser, page, account.username, password))).toBe(6000);
  });

  it('links exactly once when one invitation is used from two flows at the same time', async () => {
    const { account, password } = await invitedAccount();
    const a = new Browser();
    const b = new Browser();
    const first = await firstLoginUpTo(a, 'mitid-erhverv', identities['mitid-erhverv'][0]!.sub);
    const second = await firstLoginUpTo(b, 'nemid', identities.nemid[0]!.sub);
    const results = await Promise.all([submitForm(a, first.page, account.username, password), submitForm(b, second.page, account.username, password)]);
    expect(results.filter((r) => r.stopped)).toHaveLength(1);
    expect(results.filter((r) => errorCode(r) === 5007)).toHaveLength(1);
    expect(await linksOf(account.id)).toHaveLength(1);
  });

  it('answers a form over 10 kB (a long paste) with the form again, saying so, and the login goes on', async () => {
    const { account, password } = await invitedAccount();
    const browser = new Browser();
    const { login, page } = await firstLoginUpTo(browser, 'nordigo-2fa', identities['2fa'][0]!.sub);
    const again = await browser.submit(page, { form: (f) => f.action.endsWith('/first-login'), fields: { username: 'x'.repeat(20_000), password }, follow: true });
    expect(again.url).toBe(`${page.url}?too-long`);
    expect(errorCode(again)).toBeUndefined();
    expect(again.body).toContain(escaped(translate('da', 'ui.layout.tooLong')));
    expect(again.body).toContain('<span class="brand-name">Test System</span>');
    const done = await submitForm(browser, again, account.username, password);
    expect((await rpExchange(h, login, done.url)).claims()!.sub).toBe(account.id);
  });
});
