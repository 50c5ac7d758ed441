import { describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/i18n.ts';
import { Browser, readForm, type Page } from '../helpers/browser.ts';
import { chooseMethod, identities, linkedAccount, openAuthorize, RP_REDIRECT, RP_SECRET, rpAuthorizeUrl, rpExchange, rpOf, upstreamLogin, UPSTREAMS, useHarness } from '../helpers/harness.ts';

/**
 * Single sign-on and its limits (docs/flows.md, "Single sign-on"): a second system of the tenant in
 * the same browser gets the session's login without the chooser, through the release rules; another
 * tenant's system, a higher level, `prompt=login` and `max_age=0` log in upstream; `prompt=none` is
 * answered from the session; a disabled account, a removed link and the idle time end the session.
 */

const system = (client_id: string, display_name: string, tenants: string[], extra: Record<string, unknown> = {}) => ({
  client_id,
  client_secret: RP_SECRET,
  display_name,
  redirect_uris: [RP_REDIRECT],
  post_logout_redirect_uris: [RP_REDIRECT],
  tenants,
  login_methods: UPSTREAMS.map((u) => u.id),
  ...extra,
});

const h = useHarness({
  configure: (raw) => {
    const clients = raw.clients as Record<string, unknown>[];
    clients.push(system('case-rp', 'Case System', ['acme']), system('beta-rp', 'Beta System', ['beta']), system('both-rp', 'Shared System', ['acme', 'beta']), system('high-rp', 'High System', ['acme'], { min_assurance: 'high' }));
    (raw.tenants as Record<string, unknown>[])[1]!.sso = { enabled: false };
    (raw.upstreams as Record<string, unknown>[]).find((u) => u.id === 'nemid')!.max_level = 'substantial';
  },
});

const isChooser = (page: Page) => !page.url.startsWith(RP_REDIRECT) && readForm(page.body, page.url, (f) => f.action.endsWith('/method')) !== undefined;

/** A browser logged in to the harness's own system (test-rp, tenant acme) with MitID as `subject`. */
async function loggedIn(method = 'mitid', subject = identities.mitid[0]!.sub) {
  const account = await linkedAccount(h, method, subject);
  const browser = new Browser();
  const login = await rpAuthorizeUrl(h);
  const back = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), method), subject);
  const tokens = await rpExchange(h, login, back.url);
  expect(tokens.claims()!.sub).toBe(account.id);
  return { account, browser, tokens };
}

async function authorizeAt(browser: Browser, clientId: string, params: Record<string, string> = {}) {
  const rp = await rpOf(h, clientId);
  const login = await rpAuthorizeUrl(h, params, rp);
  return { rp, login, page: await openAuthorize(browser, login) };
}

describe('single sign-on', () => {
  it("releases the session's login to a second system of the tenant without the chooser, with the upstream login's time and level", async () => {
    const { account, browser, tokens } = await loggedIn('mitid', identities.mitid[1]!.sub);
    const { rp, login, page } = await authorizeAt(browser, 'case-rp');
    expect(page.url.startsWith(RP_REDIRECT)).toBe(true);
    const second = (await rpExchange(h, login, page.url, rp)).claims()!;
    expect(second.sub).toBe(account.id);
    expect(second.auth_time).toBe(tokens.claims()!.auth_time);
    expect(second.acr).toBe(tokens.claims()!.acr);
    expect(second.amr).toEqual(tokens.claims()!.amr);
    expect(second.sid).toBeUndefined();
  });

  it("never releases a session of tenant A to a system of tenant B, nor a tenant's request of another tenant", async () => {
    const { browser } = await loggedIn('nemid', identities.nemid[1]!.sub);
    expect(isChooser((await authorizeAt(browser, 'beta-rp')).page)).toBe(true);
    expect(isChooser((await authorizeAt(browser, 'both-rp', { tenant: 'beta' })).page)).toBe(true);
    // The same system asked for the session's tenant is released.
    expect((await authorizeAt(browser, 'both-rp', { tenant: 'acme' })).page.url.startsWith(RP_REDIRECT)).toBe(true);
  });

  it('asks for a new login where the session lacks the level, says why on the chooser, and offers only methods that reach it', async () => {
    const { browser } = await loggedIn('mitid', identities.mitid[2]!.sub);
    const { page } = await authorizeAt(browser, 'high-rp');
    expect(isChooser(page)).toBe(true);
    expect(page.body).toContain('data-method="mitid"');
    expect(page.body).not.toContain('data-method="nemid"');
    expect(page.body).toContain(translate('da', 'ui.chooser.stepUp', { system: 'High System', required: 'Høj', reached: 'Betydelig' }));
  });

  it('logs in upstream again on prompt=login and on max_age=0', async () => {
    const { browser } = await loggedIn('nordigo-2fa', identities['2fa'][1]!.sub);
    expect(isChooser((await authorizeAt(browser, 'case-rp', { prompt: 'login' })).page)).toBe(true);
    expect(isChooser((await authorizeAt(browser, 'case-rp', { max_age: '0' })).page)).toBe(true);
    expect((await authorizeAt(browser, 'case-rp')).page.url.startsWith(RP_REDIRECT)).toBe(true);
  });

  it('answers prompt=none from the session: a code with a session, login_required without, interaction_required for a step-up', async () => {
    const stranger = new Browser();
    const none = await authorizeAt(stranger, 'case-rp', { prompt: 'none' });
    expect(new URL(none.page.url).searchParams.get('error')).toBe('login_required');
    const { account, browser } = await loggedIn('mitid-erhverv', identities['mitid-erhverv'][0]!.sub);
    const silent = await authorizeAt(browser, 'case-rp', { prompt: 'none' });
    expect((await rpExchange(h, silent.login, silent.page.url, silent.rp)).claims()!.sub).toBe(account.id);
    const stepUp = await authorizeAt(browser, 'high-rp', { prompt: 'none' });
    expect(new URL(stepUp.page.url).searchParams.get('error')).toBe('interaction_required');
  });

  it('ends the session at once when the account is disabled or a link of the session is removed', async () => {
    const disabled = await loggedIn('nemid', identities.nemid[2]!.sub);
    await h.portvagt.accounts.setStatus(disabled.account.id, 'disabled');
    expect(isChooser((await authorizeAt(disabled.browser, 'case-rp')).page)).toBe(true);

    const unlinked = await loggedIn('nordigo-2fa', identities['2fa'][2]!.sub);
    await h.portvagt.accounts.link(unlinked.account.id, { method: 'nemid', issuer: h.issuerOf('nemid'), subject: 'a-second-method-of-the-account' });
    await h.portvagt.accounts.unlink(unlinked.account.id, 'nordigo-2fa', true);
    expect(isChooser((await authorizeAt(unlinked.browser, 'case-rp')).page)).toBe(true);
  });

  it('ends after the idle time without a release', async () => {
    const { browser } = await loggedIn('mitid', identities.mitid[3]!.sub);
    h.clock.advance(31 * 60_000);
    expect(isChooser((await authorizeAt(browser, 'case-rp')).page)).toBe(true);
  });
});

describe('a tenant with single sign-on switched off', () => {
  it('logs in upstream at every request, as without a session', async () => {
    const subject = identities.nemid[0]!.sub;
    await linkedAccount(h, 'nemid', subject, 'beta');
    const browser = new Browser();
    const first = await authorizeAt(browser, 'beta-rp');
    const back = await upstreamLogin(browser, await chooseMethod(browser, first.page, 'nemid'), subject);
    expect(back.url.startsWith(RP_REDIRECT)).toBe(true);
    expect(browser.jar.cookiesFor(new URL(h.base)).some((c) => c.name === 'portvagt.session')).toBe(false);
    expect(isChooser((await authorizeAt(browser, 'beta-rp')).page)).toBe(true);
  });

  it("keeps only the account page's own session, which releases nothing to a system and ends at another account's login", async () => {
    const holder = identities['mitid-erhverv'][2]!.sub;
    const other = identities['2fa'][0]!.sub;
    await linkedAccount(h, 'mitid-erhverv', holder, 'beta');
    await linkedAccount(h, 'nordigo-2fa', other, 'beta');
    const browser = new Browser();
    const page = await upstreamLogin(browser, await chooseMethod(browser, await browser.get(`${h.base}/account?tenant=beta`, { follow: true }), 'mitid-erhverv'), holder);
    expect(new URL(page.url).pathname).toBe('/account');
    const first = await authorizeAt(browser, 'beta-rp');
    expect(isChooser(first.page)).toBe(true);
    await upstreamLogin(browser, await chooseMethod(browser, first.page, 'nordigo-2fa'), other);
    expect(isChooser(await browser.get(`${h.base}/account?tenant=beta`, { follow: true }))).toBe(true);
  });
});

describe('logout', () => {
  it('without a hint of this session asks first, and then ends both sessions (begun together) at once: the next system logs in upstream', async () => {
    const { account, browser } = await loggedIn('mitid-erhverv', identities['mitid-erhverv'][1]!.sub);
    const sessions = await h.portvagt.store.members(`sessions-of:${account.id}`);
    expect(sessions).toHaveLength(1);
    // The broker session knows oidc-provider's session towards the systems; both live now.
    const record = await h.portvagt.store.get<{ sso: { providerSession: string } }>(sessions[0]!);
    const providerSession = `oidc:Session:${(await h.portvagt.store.get<string>(`oidc:Session:uid:${record!.sso.providerSession}`))!}`;
    expect(await h.portvagt.store.get(providerSession)).toBeDefined();
    const confirm = await browser.get(`${h.base}/session/end?client_id=test-rp`);
    expect(confirm.body).toContain(translate('da', 'ui.logout.confirmText'));
    expect(confirm.body).not.toContain(translate('da', 'ui.logout.automatic'));
    expect(confirm.body).toContain('<li>Test System</li>');
    const done = await browser.submit(confirm, { form: 'logout-form', button: { name: 'logout', value: 'yes' }, follow: true });
    expect(done.body).toContain(translate('da', 'ui.logout.doneFrom'));
    expect(done.body).toContain('<li>Test System</li>');
    expect(isChooser((await authorizeAt(browser, 'case-rp')).page)).toBe(true);
    // Both sessions are gone from the store, not only from this browser.
    expect(await h.portvagt.store.get(sessions[0]!)).toBeUndefined();
    expect(await h.portvagt.store.get(providerSession)).toBeUndefined();
  });
});
