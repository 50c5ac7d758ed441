import { describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/i18n.ts';
import { Browser, type Page } from '../helpers/browser.ts';
import { chooseMethod, errorCode, identities, linkedAccount, openAuthorize, rpAuthorizeUrl, rpExchange, toRp, upstreamFail, upstreamLogin, useHarness } from '../helpers/harness.ts';

const SERVICE = { name: { da: 'Acme Servicedesk', en: 'Acme service desk' }, phone: '+45 70 00 00 01', email: 'help@acme.example', hours: { da: 'Hverdage 8–16', en: 'Weekdays 8–16' } };
const TENANT_IT = { name: 'Acme IT', phone: '+45 70 00 00 02' };
const NEMID_SUPPORT = { name: { da: 'NemID-support', en: 'NemID support' }, phone: '+45 80 30 70 50', url: 'https://www.nemid.nu/dk-da/support/' };

const h = useHarness({
  configure: (raw) => {
    raw.support = SERVICE;
    (raw.tenants as Record<string, unknown>[])[0]!.support = TENANT_IT;
    const upstreams = raw.upstreams as Record<string, unknown>[];
    upstreams.find((u) => u.id === 'nemid')!.support = NEMID_SUPPORT;
    upstreams.find((u) => u.id === 'mitid')!.error_aliases = { 'mitid-app-locked': 'mitid_authenticator_blocked_temporarily', 'broker-said-no-thanks': 'cancel' };
  },
});

const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const t = (key: string, vars?: Record<string, string>) => escaped(translate('da', key, vars));
const hasRetry = (page: Page) => page.body.includes(`>${translate('da', 'ui.errorPage.tryAgain')}<`);

async function failAt(method: string, reason: string, description = '') {
  const browser = new Browser();
  const mock = await chooseMethod(browser, await openAuthorize(browser, await rpAuthorizeUrl(h)), method);
  return { browser, page: await upstreamFail(browser, mock, reason, description) };
}

describe('error_aliases', () => {
  it('an alias of the cancel row is a cancel: back on the chooser with its notice, no error page', async () => {
    const { page } = await failAt('mitid', 'broker-said-no-thanks');
    expect(errorCode(page)).toBeUndefined();
    expect(page.body).toContain(t('ui.chooser.cancelled', { method: 'MitID', system: 'Test System' }));
    expect(page.body).toContain('/method');
  });
});

describe('the advice on an upstream failure', () => {
  it('NemID LOCK001: no retry button, NemID support with its configured details, another method offered, the NemID help', async () => {
    const { page } = await failAt('nemid', 'LOCK001');
    expect(errorCode(page)).toBe(5502);
    expect(hasRetry(page)).toBe(false);
    expect(page.body).toContain(t('ui.errorPage.chooseOther'));
    expect(page.body).toContain(t('ui.errorPage.contactHeading', { name: 'NemID-support' }));
    expect(page.body).toContain('+45 80 30 70 50');
    expect(page.body).toContain('https://www.nemid.nu/dk-da/support/faa_hjaelp_til_nemid/kontakt/');
    expect(page.body).toMatch(/href="\/help\/errors\?return=%2Finteraction%2F[\w-]+&amp;method=nemid&amp;at=nemid#nemid"/);
    // One support on the page: NemID's, not also the service's.
    expect(page.body).not.toContain('Acme Servicedesk');
    // The class says what is true for every row it carries, and names the method used.
    expect(page.body).toContain(t('codes.5502.title', { method: 'NemID' }));
    expect(page.body).not.toContain('lige nu');
  });

  it('a 2FA lock names the company’s IT support from the tenant', async () => {
    const { page } = await failAt('nordigo-2fa', 'hid_failure:2');
    expect(errorCode(page)).toBe(5502);
    expect(hasRetry(page)).toBe(false);
    expect(page.body).toContain(t('ui.errorPage.contactHeading', { name: 'Acme IT' }));
  });

  it('a NemID integration fault: no retry, this service’s support, and an error-level log line with upstream and code', async () => {
    const { page } = await failAt('nemid', 'APP007');
    expect(errorCode(page)).toBe(5501);
    expect(hasRetry(page)).toBe(false);
    expect(page.body).toContain(t('ui.errorPage.contactHeading', { name: 'Acme Servicedesk' }));
    const line = h.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.level === 50 && (l.upstream as { reason?: string } | undefined)?.reason === 'APP007');
    expect(line).toMatchObject({ code: 5501, upstream: { upstream: 'nemid', dialect: 'nemid' } });
  });

  it.each([
    ['authfailed', ''],
    ['access_denied', ''],
  ])('MitID %s links the help for a blocked MitID, which leads back into the login', async (reason) => {
    const { browser, page } = await failAt('mitid', reason);
    expect(page.body).toContain(t('ui.errorPage.help.mitid'));
    const href = /href="(\/help\/errors\?return=[^"]+#mitid)"/.exec(page.body)![1]!.replace(/&amp;/g, '&');
    const help = await browser.get(`${h.base}${href}`);
    expect(help.body).toContain('id="mitid"');
    expect(help.body).toContain(t('ui.help.mitid.chip'));
    const back = /<a href="(\/interaction\/[\w-]+)">/.exec(help.body)![1]!;
    const chooser = await browser.get(`${h.base}${back}`, { until: toRp });
    expect(chooser.body).toContain('data-method="mitid"');
  });

  it('maps a broker value through the upstream’s error_aliases to its row', async () => {
    const { page } = await failAt('mitid', 'MitID-App-Locked');
    expect(errorCode(page)).toBe(5502);
    expect(page.body).toContain(t('guidance.mitid.blockedTemporarily'));
    expect(page.body).toContain(t('links.mitidAppPin'));
  });
});

describe('the account codes', () => {
  it('6001: no "Prøv igen" where the same identity fails again, another method, whom to ask, and a first-time login that keeps the login just made', async () => {
    const account = await h.portvagt.accounts.create({ tenant: 'acme', username: `kept-${Date.now()}`, displayName: 'Kept' });
    const { password } = await h.portvagt.invitations.issue(account.id);
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h);
    const mock = await chooseMethod(browser, await openAuthorize(browser, login), 'mitid');
    const page = await upstreamLogin(browser, mock, identities.mitid[2]!.sub);
    expect(errorCode(page)).toBe(6001);
    expect(hasRetry(page)).toBe(false);
    expect(page.body).toContain(t('ui.errorPage.chooseOther'));
    expect(page.body).toContain(t('ui.errorPage.contactHeading', { name: 'Acme Servicedesk' }));
    expect(page.body).toContain(t('ui.errorPage.help.first-login'));
    // Straight to the form: the MitID login just made is kept, no second approval in the app.
    const form = await browser.submit(page, { form: (f) => f.action.endsWith('/first-login/start'), until: toRp });
    expect(new URL(form.url).pathname).toMatch(/\/first-login$/);
    expect(form.body).toContain(t('ui.firstLogin.heading'));
    const done = await browser.submit(form, { form: (f) => f.action.endsWith('/first-login'), fields: { username: account.username, password }, until: toRp });
    expect((await rpExchange(h, login, done.url)).claims()!.sub).toBe(account.id);
  });

  it('6001 once the kept login is older than the first-time login form may wait: the chooser, to log in again', async () => {
    const browser = new Browser();
    const mock = await chooseMethod(browser, await openAuthorize(browser, await rpAuthorizeUrl(h)), 'mitid');
    const page = await upstreamLogin(browser, mock, identities.mitid[3]!.sub);
    h.clock.advance((h.config.timeouts.first_login + 1) * 1000);
    const chooser = await browser.submit(page, { form: (f) => f.action.endsWith('/first-login/start'), until: toRp });
    expect(chooser.body).toContain(t('ui.chooser.firstLogin.heading', { system: 'Test System' }));
  });

  it('6002 in a first-time login offers the login its text names', async () => {
    const account = await linkedAccount(h, 'nemid', identities.nemid[1]!.sub);
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h, { action: 'first-login' });
    const page = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'nemid'), identities.nemid[1]!.sub);
    expect(errorCode(page)).toBe(6002);
    const chooser = await browser.submit(page, { form: (f) => f.action.endsWith('/login/start'), until: toRp });
    expect(chooser.body).toContain(t('ui.chooser.login.heading', { system: 'Test System' }));
    const done = await upstreamLogin(browser, await chooseMethod(browser, chooser, 'nemid'), identities.nemid[1]!.sub);
    expect((await rpExchange(h, login, done.url)).claims()!.sub).toBe(account.id);
  });

  it('6001 for a disabled account says so, and offers no first-time login', async () => {
    const account = await linkedAccount(h, 'nemid', identities.nemid[0]!.sub);
    await h.portvagt.accounts.setStatus(account.id, 'disabled');
    const browser = new Browser();
    const mock = await chooseMethod(browser, await openAuthorize(browser, await rpAuthorizeUrl(h)), 'nemid');
    const page = await upstreamLogin(browser, mock, identities.nemid[0]!.sub);
    expect(errorCode(page)).toBe(6001);
    expect(page.body).toContain(t('codes.6001.variants.disabled.title'));
    expect(page.body).not.toContain(t('codes.6001.title'));
    expect(page.body).not.toContain('/first-login/start');
  });

  it('refuses to restart as a first-time login outside a 6001 page', async () => {
    const browser = new Browser();
    const chooser = await openAuthorize(browser, await rpAuthorizeUrl(h));
    const uid = /\/interaction\/([\w-]+)\/method/.exec(chooser.body)![1]!;
    const csrf = /name="csrf" value="([^"]+)"/.exec(chooser.body)![1]!;
    const refused = await browser.post(`${h.base}/interaction/${uid}/first-login/start`, { csrf });
    const page = refused.location ? await browser.get(new URL(refused.location, h.base).href) : refused;
    expect(errorCode(page)).toBe(3002);
  });
});

describe('the help page', () => {
  it('has MitID, NemID, first-time login, linking and the support contacts', async () => {
    const help = await new Browser().get(`${h.base}/help/errors`);
    for (const id of ['mitid', 'nemid', 'first-login', 'linking', 'support']) expect(help.body).toContain(`id="${id}"`);
    expect(help.body).toContain('Acme Servicedesk');
    expect(help.body).toContain('+45 80 30 70 50');
    expect(help.body).toContain('https://www.mitid.dk/');
  });

  it('offers a way back only into an interaction of this site', async () => {
    for (const target of ['//evil.example/', 'https://evil.example/', '/interaction/../admin', 'javascript:alert(1)']) {
      const help = await new Browser().get(`${h.base}/help/errors?return=${encodeURIComponent(target)}`);
      expect(help.status).toBe(200);
      expect(help.body).not.toContain(t('ui.help.back'));
    }
  });
});
