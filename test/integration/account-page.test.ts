import { afterEach, describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/i18n.ts';
import { sessionsOf } from '../../src/sessions/session-index.ts';
import { Browser, readForm, readLinks, type Page } from '../helpers/browser.ts';
import { chooseMethod, errorCode, identities, linkedAccount, openAuthorize, rpAuthorizeUrl, upstreamLogin, useHarness } from '../helpers/harness.ts';

/**
 * "Mine loginmetoder" (docs/account-page.md): the account holder's own page. It needs a login (the
 * broker session, or a login as Portvagt's own client); it lists methods, sessions and recent logins;
 * a method is removed only after a fresh login with another, never the last; every change needs the
 * token of the page this session was shown last, so another browser, a stale page or a replay changes
 * nothing.
 */

const h = useHarness();
const da = (key: string, vars?: Record<string, string>) => translate('da', `ui.account.${key}`, vars);
const LOA_HIGH = 'https://data.gov.dk/concept/core/nsis/loa/High';

/** An account with these methods (a fresh mock identity each), and its identities' subjects by method. */
async function accountWith(...methods: ('mitid' | 'nemid' | 'nordigo-2fa')[]) {
  const subjects = Object.fromEntries(methods.map((m) => [m, nextSubject(m)])) as Record<string, string>;
  const [first, ...rest] = methods;
  const account = await linkedAccount(h, first!, subjects[first!]!);
  created.push(account.id);
  for (const m of rest) await h.portvagt.accounts.link(account.id, { method: m, issuer: h.issuerOf(m), subject: subjects[m]! });
  return { account, subjects };
}

// The mocks know a few identities per method, and an identity links to one account: each test's accounts go after it.
let taken: Record<string, number> = {};
const created: string[] = [];
afterEach(async () => {
  for (const id of created.splice(0)) await h.portvagt.accounts.delete(id);
  taken = {};
});

function nextSubject(method: 'mitid' | 'nemid' | 'nordigo-2fa'): string {
  const list = identities[method === 'nordigo-2fa' ? '2fa' : method] as readonly { sub: string }[];
  const index = (taken[method] = (taken[method] ?? -1) + 1);
  if (index >= list.length) throw new Error(`test setup: no more ${method} identities`);
  return list[index]!.sub;
}

/** Opens /account in `browser`; without a session the login at `method` as `subject` comes first. */
async function openAccount(browser: Browser, method?: string, subject?: string): Promise<Page> {
  const first = await browser.get(`${h.base}/account?tenant=acme`, { follow: true });
  if (!method) return first;
  return upstreamLogin(browser, await chooseMethod(browser, first, method), subject!);
}

/** Logs `browser` in to the harness's system (Test System) with MitID as `subject`. */
async function loginAtSystem(browser: Browser, subject: string, params: Record<string, string> = {}): Promise<Page> {
  return upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, await rpAuthorizeUrl(h, params)), 'mitid'), subject);
}

const isAccountPage = (page: Page) => new URL(page.url).pathname === '/account' && page.body.includes(`<h1>${da('title')}</h1>`);
const tokenOf = (page: Page) => readForm(page.body, page.url, (f) => f.fields.token !== undefined).fields.token!;
const linkedMethods = async (accountId: string) => (await h.portvagt.accounts.links(accountId)).map((l) => l.method).sort();

describe('reaching the account page', () => {
  it('asks for a login through the chooser, then shows the methods, this session and the login', async () => {
    const { account, subjects } = await accountWith('mitid', 'nemid');
    const browser = new Browser();
    const chooser = await browser.get(`${h.base}/account?tenant=acme`, { follow: true });
    expect(chooser.body).toContain('data-method="mitid"');
    const page = await upstreamLogin(browser, await chooseMethod(browser, chooser, 'mitid'), subjects.mitid!);
    expect(isAccountPage(page)).toBe(true);
    expect(page.body).toContain(`data-method="mitid"`);
    expect(page.body).toContain(`data-method="nemid"`);
    expect(page.body).toContain('data-session="this"');
    // The page's own login is the newest of the account's logins.
    expect(page.body).toMatch(/data-login="released"/);
    expect((await h.portvagt.audit.loginsOf(account.id, 20))[0]).toMatchObject({ event: 'logged-in', client_id: 'portvagt-account', method: 'mitid' });
  });

  it("opens at once in a browser already logged in to a system (the broker session's login)", async () => {
    const { subjects } = await accountWith('mitid');
    const browser = new Browser();
    await loginAtSystem(browser, subjects.mitid!);
    const page = await browser.get(`${h.base}/account?system=test-rp`, { follow: true });
    expect(isAccountPage(page)).toBe(true);
    // Branded with the system the user came from, which it lists where the user is logged in.
    expect(page.body).toContain('<span class="brand-name">Test System</span>');
    expect(page.body).toContain(da('sessions.systems', { systems: 'Test System' }));
  });

  it('lists a refused login of the account with its code, and whom to contact', async () => {
    const { account, subjects } = await accountWith('mitid');
    const refused = new Browser();
    const page = await loginAtSystem(refused, subjects.mitid!, { acr_values: LOA_HIGH });
    expect(errorCode(page)).toBe(5502);
    const own = await openAccount(new Browser(), 'mitid', subjects.mitid);
    expect(own.body).toMatch(/data-login="refused" data-code="5502"/);
    expect(own.body).toContain(da('logins.refusedCode', { code: '5502' }));
    expect(own.body).toContain('data-support');
    expect((await h.portvagt.audit.loginsOf(account.id, 20)).map((e) => e.event)).toEqual(['logged-in', 'failed']);
  });

  it('refuses a callback whose state another browser was given', async () => {
    const { subjects } = await accountWith('mitid');
    const victim = new Browser();
    const start = await victim.get(`${h.base}/account?tenant=acme`);
    const state = new URL(start.location!, h.base).searchParams.get('state')!;
    await openAccount(new Browser(), 'mitid', subjects.mitid);
    const attacker = new Browser();
    const page = await attacker.get(`${h.base}/account/callback?state=${encodeURIComponent(state)}&code=x`, { follow: true });
    expect(errorCode(page)).toBe(3000);
  });
});

describe('adding a login method', () => {
  it('"Tilknyt ny loginmetode" runs the link flow and comes back with its confirmation', async () => {
    const { account, subjects } = await accountWith('mitid');
    const nemid = nextSubject('nemid');
    const browser = new Browser();
    const page = await openAccount(browser, 'mitid', subjects.mitid);
    const add = readLinks(page.body, page.url).find((l) => l.attributes['data-link-method'] !== undefined)!;
    // The link flow's own verification login first, then the link page.
    const linkPage = await upstreamLogin(browser, await chooseMethod(browser, await browser.get(add.href, { follow: true }), 'mitid'), subjects.mitid!);
    const mock = await browser.submit(linkPage, { form: (f) => f.action.endsWith('/link/method'), button: { name: 'method', value: 'nemid' }, follow: true });
    const linked = await upstreamLogin(browser, mock, nemid);
    const back = await browser.submit(linked, { form: (f) => f.action.endsWith('/link/finish'), follow: true });
    expect(isAccountPage(back)).toBe(true);
    expect(back.body).toContain(da('notices.linked', { methods: 'NemID' }));
    expect(back.body).toContain('data-method="nemid"');
    expect(await linkedMethods(account.id)).toEqual(['mitid', 'nemid']);
  });
});

describe('removing a login method', () => {
  it('needs a fresh login with another method, asks to confirm, then says the method is gone', async () => {
    const { account, subjects } = await accountWith('mitid', 'nemid');
    const browser = new Browser();
    // Logged in with NemID itself: its removal needs a login with MitID first.
    await openAccount(browser, 'nemid', subjects.nemid);
    const ask = await browser.get(`${h.base}/account/remove?method=nemid`, { follow: true });
    expect(ask.body).toContain('data-remove-state="login-first"');
    const viaMitid = readLinks(ask.body, ask.url).find((l) => l.text.includes('MitID'))!;
    const start = await browser.get(viaMitid.href);
    expect(new URL(start.location!).searchParams.get('prompt')).toBe('login');
    const confirm = await upstreamLogin(browser, await browser.follow(start), subjects.mitid!);
    expect(confirm.body).toContain('data-remove-state="confirm"');
    const done = await browser.submit(confirm, { follow: true });
    expect(done.body).toContain(da('notices.removed', { method: 'NemID' }));
    expect(done.body).not.toContain('data-method="nemid"');
    expect(await linkedMethods(account.id)).toEqual(['mitid']);
    expect((await h.portvagt.audit.loginsOf(account.id, 20)).length).toBeGreaterThan(0);
  });

  it('never removes the last method, and says why', async () => {
    const { account, subjects } = await accountWith('mitid');
    const browser = new Browser();
    const page = await openAccount(browser, 'mitid', subjects.mitid);
    expect(page.body).toContain(da('methods.onlyOne'));
    expect(page.body).not.toContain('data-remove=');
    const ask = await browser.get(`${h.base}/account/remove?method=mitid`, { follow: true });
    expect(ask.body).toContain('data-remove-state="last"');
    const forced = await browser.post(`${h.base}/account/remove?tenant=acme`, { token: tokenOf(await browser.get(`${h.base}/account?tenant=acme`)), method: 'mitid' }, { follow: true });
    expect(forced.body).toContain(da('notices.lastMethod', { method: 'MitID' }));
    expect(await linkedMethods(account.id)).toEqual(['mitid']);
  });

  it('ends the other sessions logged in with the removed method, and keeps this one', async () => {
    const { account, subjects } = await accountWith('mitid', 'nemid');
    const elsewhere = new Browser();
    await openAccount(elsewhere, 'nemid', subjects.nemid);
    const browser = new Browser();
    const page = await openAccount(browser, 'mitid', subjects.mitid);
    expect(page.body).toContain('data-session="this"');
    expect((await sessionsOf(h.portvagt.store, account.id, h.clock())).length).toBe(2);
    const confirm = await browser.get(`${h.base}/account/remove?method=nemid`, { follow: true });
    await browser.submit(confirm, { follow: true });
    const left = await sessionsOf(h.portvagt.store, account.id, h.clock());
    expect(left.map((s) => s.record.logins.map((l) => l.method))).toEqual([['mitid']]);
    expect(isAccountPage(await browser.get(`${h.base}/account?tenant=acme`, { follow: true }))).toBe(true);
  });
});

describe('changes the page did not ask for', () => {
  it('from another browser: the form leads to a login there, nothing is removed', async () => {
    const { account, subjects } = await accountWith('mitid', 'nemid');
    const victim = new Browser();
    await openAccount(victim, 'mitid', subjects.mitid);
    const confirm = await victim.get(`${h.base}/account/remove?method=nemid`, { follow: true });
    const attacker = new Browser();
    const answer = await attacker.post(readForm(confirm.body, confirm.url).action, { token: tokenOf(confirm), method: 'nemid' });
    expect(answer.status).toBe(303);
    expect(new URL(answer.location!).pathname).toBe('/auth');
    expect(await linkedMethods(account.id)).toEqual(['mitid', 'nemid']);
  });

  it('a form of a page shown before a newer one changes nothing', async () => {
    const { account, subjects } = await accountWith('mitid', 'nemid');
    const browser = new Browser();
    await openAccount(browser, 'mitid', subjects.mitid);
    const older = await browser.get(`${h.base}/account/remove?method=nemid`, { follow: true });
    await browser.get(`${h.base}/account?tenant=acme`);
    const sent = await browser.submit(older, { follow: true });
    expect(sent.body).toContain(da('notices.stale'));
    expect(await linkedMethods(account.id)).toEqual(['mitid', 'nemid']);
  });

  it('a replayed form changes nothing, even where it would apply again', async () => {
    const { account, subjects } = await accountWith('mitid', 'nemid');
    const browser = new Browser();
    await openAccount(browser, 'mitid', subjects.mitid);
    const confirm = await browser.get(`${h.base}/account/remove?method=nemid`, { follow: true });
    const form = { token: tokenOf(confirm), method: 'nemid' };
    await browser.post(`${h.base}/account/remove`, form, { follow: true });
    await h.portvagt.accounts.link(account.id, { method: 'nemid', issuer: h.issuerOf('nemid'), subject: subjects.nemid! });
    const replayed = await browser.post(`${h.base}/account/remove`, form, { follow: true });
    expect(replayed.body).toContain(da('notices.stale'));
    expect(await linkedMethods(account.id)).toEqual(['mitid', 'nemid']);
  });

  it("a method or session of another account is out of reach", async () => {
    const mine = await accountWith('mitid');
    const theirs = await accountWith('mitid', 'nemid');
    const them = new Browser();
    await openAccount(them, 'nemid', theirs.subjects.nemid);
    const [theirSession] = await sessionsOf(h.portvagt.store, theirs.account.id, h.clock());
    const browser = new Browser();
    const page = await openAccount(browser, 'mitid', mine.subjects.mitid);
    const removal = await browser.post(`${h.base}/account/remove`, { token: tokenOf(page), method: 'nemid' }, { follow: true });
    expect(removal.body).toContain(da('notices.stale'));
    const ending = await browser.post(`${h.base}/account/sessions/end`, { token: tokenOf(removal), session: theirSession!.id }, { follow: true });
    expect(ending.body).toContain(da('notices.stale'));
    expect(await linkedMethods(theirs.account.id)).toEqual(['mitid', 'nemid']);
    expect(await sessionsOf(h.portvagt.store, theirs.account.id, h.clock())).toHaveLength(1);
  });
});

describe('where the account is logged in', () => {
  it('logs another session out from the page, and then every session ("Log ud alle steder")', async () => {
    const { account, subjects } = await accountWith('mitid');
    const other = new Browser();
    await loginAtSystem(other, subjects.mitid!);
    const browser = new Browser();
    const page = await openAccount(browser, 'mitid', subjects.mitid);
    const [otherSession] = (await sessionsOf(h.portvagt.store, account.id, h.clock())).filter((s) => s.record.clients.includes('test-rp'));
    expect(page.body).toContain(`data-session="${otherSession!.id}"`);
    const ended = await browser.submit(page, { button: { name: 'session', value: otherSession!.id }, follow: true });
    expect(ended.body).toMatch(/data-account-notice/);
    expect(ended.body).not.toContain(`data-session="${otherSession!.id}"`);
    // The other browser's next login request at the system meets the chooser again.
    expect((await openAuthorize(other, await rpAuthorizeUrl(h))).body).toContain('data-method="mitid"');

    await loginAtSystem(other, subjects.mitid!);
    const all = await browser.submit(await browser.get(`${h.base}/account?tenant=acme`, { follow: true }), { button: { name: 'session', value: 'all' }, follow: true });
    expect(all.body).toContain(translate('da', 'ui.logout.doneTitle'));
    expect(all.body).toContain('Test System');
    expect(await sessionsOf(h.portvagt.store, account.id, h.clock())).toEqual([]);
    expect(isAccountPage(await browser.get(`${h.base}/account?tenant=acme`, { follow: true }))).toBe(false);
  });
});

// Last: it moves the flows' clock, after which every login of this file's broker is older than it looks.
describe('a login older than a few minutes', () => {
  it('is no fresh login for a removal: the page asks for a new one and a sent form removes nothing', async () => {
    const { account, subjects } = await accountWith('mitid', 'nemid');
    const browser = new Browser();
    await openAccount(browser, 'mitid', subjects.mitid);
    h.clock.advance(6 * 60_000);
    const ask = await browser.get(`${h.base}/account/remove?method=nemid`, { follow: true });
    expect(ask.body).toContain('data-remove-state="login-first"');
    const sent = await browser.post(`${h.base}/account/remove?tenant=acme`, { token: tokenOf(await browser.get(`${h.base}/account?tenant=acme`)), method: 'nemid' }, { follow: true });
    expect(sent.body).toContain('data-remove-state="login-first"');
    expect(await linkedMethods(account.id)).toEqual(['mitid', 'nemid']);
  });
});
