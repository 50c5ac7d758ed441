import { describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/i18n.ts';
import { Browser, readLinks, type Page } from '../helpers/browser.ts';
import { chooseMethod, errorCode, identities, linkedAccount, openAuthorize, RP_REDIRECT, rpAuthorizeUrl, rpExchange, toRp, upstreamFail, upstreamLogin, useHarness } from '../helpers/harness.ts';

const HOME = 'https://rp.example/home';
// MitID logins of the beta tenant pass a CPR match; the test system names its home page.
const h = useHarness({
  configure: (raw) => {
    (raw.clients as Record<string, unknown>[])[0]!.client_uri = HOME;
    (raw.clients as Record<string, unknown>[])[1]!.tenants = ['beta'];
    (raw.tenants as { require_cpr_match?: boolean }[])[1]!.require_cpr_match = true;
  },
});

const uidOf = (page: Page) => new URL(page.url).pathname.split('/')[2]!;
const flowUrl = (page: Page) => `${h.base}/interaction/${uidOf(page)}`;
const rpParams = (page: Page) => new URL(page.url).searchParams;
const submit = (browser: Browser, page: Page, suffix: string, fields: Record<string, string> = {}) => browser.submit(page, { form: (f) => f.action.endsWith(suffix), fields, until: toRp });
const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;');

describe('two tabs in one browser', () => {
  it("another tab's login leaves this tab's chooser working (no 3000), and both tabs reach the system", async () => {
    const account = await linkedAccount(h, 'nordigo-2fa', identities['2fa'][0]!.sub);
    const browser = new Browser();
    const loginA = await rpAuthorizeUrl(h);
    const tabA = await openAuthorize(browser, loginA);
    const loginB = await rpAuthorizeUrl(h);
    const doneB = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, loginB), 'nordigo-2fa'), identities['2fa'][0]!.sub);
    expect(doneB.stopped).toBe(true);
    const doneA = await upstreamLogin(browser, await chooseMethod(browser, tabA, 'nordigo-2fa'), identities['2fa'][0]!.sub);
    expect(doneA.stopped).toBe(true);
    expect((await rpExchange(h, loginA, doneA.url)).claims()!.sub).toBe(account.id);
    expect((await rpExchange(h, loginB, doneB.url)).claims()!.sub).toBe(account.id);
  });
});

describe('back and reload', () => {
  it('after a finished login: a branded "already finished" page with a link to the system, never an expiry code', async () => {
    await linkedAccount(h, 'nemid', identities.nemid[0]!.sub);
    const browser = new Browser();
    const chooser = await openAuthorize(browser, await rpAuthorizeUrl(h));
    expect((await upstreamLogin(browser, await chooseMethod(browser, chooser, 'nemid'), identities.nemid[0]!.sub)).stopped).toBe(true);
    for (const url of [chooser.url, `${chooser.url}/first-login`, `${chooser.url}/link`]) {
      const again = await browser.get(url, { follow: true });
      expect(again.status, url).toBe(200);
      expect(errorCode(again), url).toBeUndefined();
      expect(again.body).toContain(translate('da', 'ui.finished.heading'));
      expect(again.body).toContain('Test System');
      expect(readLinks(again.body, again.url).some((l) => l.href === HOME)).toBe(true);
    }
    // Pressing a button of the old page again does nothing but say so.
    const pressed = await browser.post(`${chooser.url}/method`, { method: 'nemid', csrf: /name="csrf" value="([^"]+)"/.exec(chooser.body)![1]! }, { until: toRp });
    expect(pressed.body).toContain(translate('da', 'ui.finished.heading'));
  });

  it('in the middle of a flow: the current step is shown again', async () => {
    const account = await h.portvagt.accounts.create({ tenant: 'acme', username: `back-${Date.now()}`, displayName: 'Back' });
    const { password } = await h.portvagt.invitations.issue(account.id);
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h, { action: 'first-login' });
    const form = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'mitid-erhverv'), identities['mitid-erhverv'][0]!.sub);
    expect(form.url).toMatch(/\/first-login$/);
    const back = await browser.get(flowUrl(form), { follow: true });
    expect(back.url).toBe(form.url);
    expect(errorCode(back)).toBeUndefined();
    const done = await submit(browser, back, '/first-login', { username: account.username, password });
    expect((await rpExchange(h, login, done.url)).claims()!.sub).toBe(account.id);
  });

  it('back from the upstream page: the chooser again, and another method works', async () => {
    const account = await linkedAccount(h, 'nordigo-2fa', identities['2fa'][1]!.sub);
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h);
    const chooser = await openAuthorize(browser, login);
    await chooseMethod(browser, chooser, 'mitid');
    const again = await browser.get(chooser.url);
    expect(again.body).toContain('data-method="mitid"');
    const done = await upstreamLogin(browser, await chooseMethod(browser, again, 'nordigo-2fa'), identities['2fa'][1]!.sub);
    expect((await rpExchange(h, login, done.url)).claims()!.sub).toBe(account.id);
  });
});

describe('a cancel at the upstream', () => {
  let linked: ReturnType<typeof linkedAccount> | undefined;
  for (const [method, reason, name] of [['mitid', 'cancel', 'MitID'], ['nemid', 'CAN002', 'NemID']] as const) {
    it(`${name} ${reason}: back on the chooser with a notice, the flow alive`, async () => {
      const account = await (linked ??= linkedAccount(h, 'nordigo-2fa', identities['2fa'][2]!.sub));
      const browser = new Browser();
      const login = await rpAuthorizeUrl(h);
      const chooser = await upstreamFail(browser, await chooseMethod(browser, await openAuthorize(browser, login), method), reason);
      expect(chooser.url).toBe(flowUrl(chooser));
      expect(errorCode(chooser)).toBeUndefined();
      expect(chooser.body).toContain(escaped(translate('da', 'ui.chooser.cancelled', { method: name, system: 'Test System' })));
      const done = await upstreamLogin(browser, await chooseMethod(browser, chooser, 'nordigo-2fa'), identities['2fa'][2]!.sub);
      expect((await rpExchange(h, login, done.url)).claims()!.sub).toBe(account.id);
    });
  }
});

describe('what the system receives', () => {
  it('"Annullér" on the chooser, the first-time-login form and the CPR form: access_denied, "Portvagt user cancelled"', async () => {
    const chooserTab = new Browser();
    const chooserLogin = await rpAuthorizeUrl(h);
    const pages: [Browser, Page, string][] = [[chooserTab, await openAuthorize(chooserTab, chooserLogin), chooserLogin.state]];

    const formTab = new Browser();
    const formLogin = await rpAuthorizeUrl(h, { action: 'first-login' });
    pages.push([formTab, await upstreamLogin(formTab, await chooseMethod(formTab, await openAuthorize(formTab, formLogin), 'mitid'), identities.mitid[0]!.sub), formLogin.state]);

    await linkedAccount(h, 'mitid', identities.mitid[1]!.sub, 'beta');
    const cprTab = new Browser();
    const cprLogin = await rpAuthorizeUrl(h, { client_id: 'multi-rp' });
    pages.push([cprTab, await upstreamLogin(cprTab, await chooseMethod(cprTab, await openAuthorize(cprTab, cprLogin), 'mitid'), identities.mitid[1]!.sub), cprLogin.state]);

    for (const [browser, page, state] of pages) {
      expect(page.body).toContain(escaped(translate('da', 'ui.layout.cancel', { system: /<span class="brand-name">([^<]+)</.exec(page.body)![1]! })));
      const back = await submit(browser, page, '/abort');
      expect(back.stopped, page.url).toBe(true);
      expect(Object.fromEntries(rpParams(back))).toMatchObject({ error: 'access_denied', error_description: 'Portvagt user cancelled', state });
    }
  });

  it('"back to the system" from an error page: access_denied with the numeric code', async () => {
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h);
    const page = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'nemid'), identities.nemid[2]!.sub);
    expect(errorCode(page)).toBe(6001);
    const back = await submit(browser, page, '/abort');
    expect(back.url.startsWith(RP_REDIRECT)).toBe(true);
    expect(Object.fromEntries(rpParams(back))).toMatchObject({ error: 'access_denied', error_description: 'Portvagt error 6001', state: login.state });
  });
});

describe('every page can switch language', () => {
  it('an error page inside a flow, and the first-time-login form after a wrong password', async () => {
    const browser = new Browser();
    const failed = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, await rpAuthorizeUrl(h)), 'nemid'), identities.nemid[2]!.sub);
    const english = await browser.get(readLinks(failed.body, failed.url).find((l) => l.attributes['data-lang'] === 'en')!.href, { follow: true });
    expect([english.url, errorCode(english)]).toEqual([failed.url, 6001]);
    expect(english.body).toContain('<html lang="en"');

    const tab = new Browser();
    const form = await upstreamLogin(tab, await chooseMethod(tab, await openAuthorize(tab, await rpAuthorizeUrl(h, { action: 'first-login' })), 'mitid'), identities.mitid[0]!.sub);
    const refused = await submit(tab, form, '/first-login', { username: 'nobody', password: 'wrong' });
    expect(errorCode(refused)).toBe(5007);
    const switched = await tab.get(readLinks(refused.body, refused.url).find((l) => l.attributes['data-lang'] === 'en')!.href, { follow: true });
    expect(switched.url).toBe(form.url);
    expect(switched.body).toContain('<html lang="en"');
  });
});
