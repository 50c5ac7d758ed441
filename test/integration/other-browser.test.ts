import { describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/i18n.ts';
import { Browser, fetchTransport, readForm, readLinks, type Page } from '../helpers/browser.ts';
import { chooseMethod, errorCode, identities, linkedAccount, openAuthorize, RP_REDIRECT, rpAuthorizeUrl, rpExchange, toRp, useHarness } from '../helpers/harness.ts';

const HOME = 'https://rp.example/home';
const h = useHarness({
  configure: (raw) => {
    (raw.clients as Record<string, unknown>[])[0]!.client_uri = HOME;
    raw.support = { name: 'Test-support', phone: '+45 70 00 00 00' };
  },
});

const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;');
/** A browser that refuses every cookie: it never sends one back. */
const cookieRefusing = () => new Browser({}, (url, method, headers, body) => fetchTransport(url, method, Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'cookie')), body));

/** The page of one of the 3002 wordings: its title, branded for the system with a way back to its home page, and no retry. */
function expectElsewhere(page: Page, variant: string, system = 'Test System'): void {
  expect(errorCode(page)).toBe(3002);
  expect(page.body).toContain(escaped(translate('da', `codes.3002.variants.${variant}.title`)));
  expect(page.body).toContain(`<span class="brand-name">${system}</span>`);
  expect(readLinks(page.body, page.url).find((l) => l.href === HOME)?.text).toBe(translate('da', 'ui.errorPage.backToSystem', { system }));
  expect(page.body).not.toContain(translate('da', 'ui.errorPage.tryAgain'));
  // Whom to ask: the service's support, as configured for the system.
  expect(page.body).toContain('class="contact"');
}

/** In `browser`, up to the MitID callback, which is returned unfollowed. */
async function callbackOf(browser: Browser, subject: string) {
  const login = await rpAuthorizeUrl(h);
  const mock = await chooseMethod(browser, await openAuthorize(browser, login), 'mitid');
  const stop = await browser.submit(mock, { form: (f) => f.action.endsWith('/login'), fields: { identity: subject }, until: (url) => url.includes('/callback/') });
  return { login, callbackUrl: stop.url };
}

describe('a login that comes back to another browser', () => {
  it('says the login ended in another browser, branded, finishes nothing there, and the first browser can still finish', async () => {
    const account = await linkedAccount(h, 'mitid', identities.mitid[0]!.sub);
    const started = new Browser();
    const { login, callbackUrl } = await callbackOf(started, identities.mitid[0]!.sub);
    for (const phone of [new Browser(), cookieRefusing()]) {
      const page = await phone.get(callbackUrl, { until: toRp });
      expectElsewhere(page, 'otherBrowser');
    }
    const back = await started.get(callbackUrl, { until: toRp });
    expect(back.url.startsWith(RP_REDIRECT)).toBe(true);
    expect((await rpExchange(h, login, back.url)).claims()!.sub).toBe(account.id);
  });

  it("a live chooser's address opened in another browser says so, and leaves the chooser working", async () => {
    const started = new Browser();
    const chooser = await openAuthorize(started, await rpAuthorizeUrl(h));
    const other = new Browser();
    await other.get(`${h.base}/help/errors`);
    expectElsewhere(await other.get(chooser.url, { follow: true }), 'otherBrowser');
    expect((await started.get(chooser.url)).body).toContain('data-method="mitid"');
  });

  it('the error page of another browser says so, branded for its system', async () => {
    const started = new Browser();
    const chooser = await openAuthorize(started, await rpAuthorizeUrl(h));
    const failed = await started.submit(chooser, { form: (f) => f.action.endsWith('/method'), fields: { method: 'no-such-method' }, follow: true });
    expect(new URL(failed.url).pathname).toMatch(/^\/error\//);
    expectElsewhere(await new Browser().get(failed.url), 'otherBrowser');
  });
});

describe('a browser that refuses cookies', () => {
  it('is told so when it opens the chooser: found by a cookie set and not sent back', async () => {
    const page = await openAuthorize(cookieRefusing(), await rpAuthorizeUrl(h));
    expectElsewhere(page, 'cookies');
  });

  it('is told so when the cookie is gone before it chooses a method, and the flow is left as it was', async () => {
    const browser = new Browser();
    const chooser = await openAuthorize(browser, await rpAuthorizeUrl(h));
    const form = readForm(chooser.body, chooser.url, (f) => f.action.endsWith('/method'));
    const page = await cookieRefusing().post(form.action, { ...form.fields, method: 'mitid' }, { until: toRp });
    expectElsewhere(page, 'cookies');
    expect((await browser.get(chooser.url)).body).toContain('data-method="mitid"');
  });
});

describe('a link that leads nowhere', () => {
  it.each(['/error/AAAAAAAAAAAAAAAAAAAAAA', '/interaction/not-a-real-interaction', '/interaction/not-a-real-interaction/first-login'])('%s says "Linket findes ikke"', async (path) => {
    const browser = new Browser();
    await browser.get(`${h.base}/help/errors`);
    const page = await browser.get(`${h.base}${path}`, { follow: true });
    expect(errorCode(page)).toBe(3002);
    expect(page.body).toContain(translate('da', 'codes.3002.variants.unknownLink.title'));
    expect(page.body).not.toContain(translate('da', 'ui.errorPage.tryAgain'));
  });
});

describe('the callback of a finished login opened again', () => {
  it('shows "already finished" at once, branded, and issues no second code', async () => {
    await linkedAccount(h, 'mitid', identities.mitid[1]!.sub);
    const browser = new Browser();
    const { callbackUrl } = await callbackOf(browser, identities.mitid[1]!.sub);
    expect((await browser.get(callbackUrl, { until: toRp })).url.startsWith(RP_REDIRECT)).toBe(true);
    const again = await browser.get(callbackUrl, { until: toRp });
    expect(again.url.startsWith(RP_REDIRECT)).toBe(false);
    expect(errorCode(again)).toBeUndefined();
    expect(again.body).toContain(translate('da', 'ui.finished.heading'));
    expect(readLinks(again.body, again.url).some((l) => l.href === HOME)).toBe(true);
  });
});
