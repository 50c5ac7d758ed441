import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors/catalogue.ts';
import { translate } from '../../src/i18n/i18n.ts';
import { Browser, readLinks, type Page } from '../helpers/browser.ts';
import { chooseMethod, errorCode, openAuthorize, rpAuthorizeUrl, useHarness, upstreamFail } from '../helpers/harness.ts';

const h = useHarness();

async function failAtNemid(browser: Browser, reason: string, description = '', params: Record<string, string> = {}) {
  const login = await rpAuthorizeUrl(h, params);
  const mock = await chooseMethod(browser, await openAuthorize(browser, login), 'nemid');
  return upstreamFail(browser, mock, reason, description);
}

const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const referenceOf = (body: string) => /class="reference-id">([A-Z0-9-]+)</.exec(body)?.[1];

describe('error pages', () => {
  it('say what failed with the code, the dialect guidance, a reference id findable in the audit log, and the help link', async () => {
    const page = await failAtNemid(new Browser(), 'LOCK001');
    expect(errorCode(page)).toBe(5502);
    expect(page.body).toContain(`<h1>${translate('da', 'codes.5502.title', { method: 'NemID' })}</h1>`);
    expect(page.body).toContain('Fejlkode');
    expect(page.body).toContain(escaped(translate('da', 'guidance.nemid.quarantine')));
    expect(page.body).toContain('href="/help/errors?method=nemid&amp;at=5502#5502"');
    const reference = referenceOf(page.body)!;
    const events = await h.portvagt.audit.byReference(reference);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ code: 5502, outcome: 'failure', client_id: 'test-rp', tenant: 'acme', method: 'nemid', upstream_reason: 'nemid:LOCK001' });
  });

  it('never show upstream text: HTML and script in error_description come out nowhere on the page, and trimmed in the log', async () => {
    const hostile = `<script>alert("pwned")</script><img src=x onerror=alert(1)>${'A'.repeat(5000)}`;
    const page = await failAtNemid(new Browser(), 'SRV001', hostile);
    expect(errorCode(page)).toBe(5501);
    expect(page.body).not.toContain('pwned');
    expect(page.body).not.toContain('onerror');
    const logged = h.logLines.find((line) => line.includes('pwned'));
    expect(logged).toBeDefined();
    expect(logged!.length).toBeLessThan(2000);
  });

  it('answer unknown addresses, stale interactions and malformed forms with a page, never a stack trace or JSON', async () => {
    const browser = new Browser();
    const unknown = await browser.get(`${h.base}/no/such/page`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/html/);
    expect(errorCode(await browser.get(`${h.base}/interaction/not-a-real-interaction`, { follow: true }))).toBe(3002);
    const oversized = await browser.post(`${h.base}/interaction/abc/method`, { method: 'x'.repeat(20_000) }, { follow: true });
    expect(errorCode(oversized)).toBe(3002);
    for (const page of [unknown, oversized]) expect(page.body).not.toMatch(/at .*\.(ts|js):\d+|"error":/);
  });

  it('speak English when the system asks with ui_locales, and when the browser prefers it', async () => {
    const byRp = await failAtNemid(new Browser(), 'LOCK001', '', { ui_locales: 'en' });
    expect(byRp.body).toContain('<html lang="en"');
    expect(byRp.body).toContain('Error code');
    expect(byRp.body).toContain(escaped(translate('en', 'guidance.nemid.quarantine')));
    const byBrowser = await failAtNemid(new Browser({ 'accept-language': 'en-GB,en;q=0.9' }), 'LOCK001');
    expect(byBrowser.body).toContain('Error code');
    const byDefault = await failAtNemid(new Browser({ 'accept-language': 'fr' }), 'LOCK001');
    expect(byDefault.body).toContain('Fejlkode');
  });
});

/** Follows the page's language-switch link to `lang`: a plain link, as a click would. */
async function switchLanguage(browser: Browser, page: Page, lang: string): Promise<Page> {
  const link = readLinks(page.body, page.url).find((l) => l.attributes['data-lang'] === lang);
  expect(link, `no switch to ${lang} on ${page.url}`).toBeDefined();
  return browser.get(link!.href, { follow: true });
}

describe('the language switch', () => {
  it("changes the chooser's language and keeps the user on the same flow", async () => {
    const browser = new Browser();
    const chooser = await openAuthorize(browser, await rpAuthorizeUrl(h));
    expect(chooser.body).toContain('<html lang="da"');
    const english = await switchLanguage(browser, chooser, 'en');
    expect(english.url).toBe(chooser.url);
    expect(english.body).toContain('<html lang="en"');
    expect(english.body).toContain('data-method="mitid"');
  });

  it('works on a first visit to the help page, with no cookie yet', async () => {
    const browser = new Browser();
    const help = await browser.get(`${h.base}/help/errors`);
    const english = await switchLanguage(browser, help, 'en');
    expect(english.url).toBe(`${h.base}/help/errors`);
    expect(english.status).toBe(200);
    expect(english.body).toContain('<html lang="en"');
    expect(errorCode(english)).toBeUndefined();
  });

  it('answers 8000 only to a malformed link (unknown language, another site), on a page that can itself switch', async () => {
    for (const query of ['lang=xx&return_to=%2Fhelp%2Ferrors', 'lang=en&return_to=%2F%2Fevil.example%2F', 'lang=en']) {
      const browser = new Browser();
      const page = await browser.get(`${h.base}/lang?${query}`, { follow: true });
      expect(errorCode(page), query).toBe(8000);
      expect(page.url.startsWith(h.base), query).toBe(true);
      expect(errorCode(await switchLanguage(browser, page, 'en'))).toBe(8000);
    }
  });
});

describe('error pages follow POST/redirect/GET', () => {
  it('can be reloaded and switched to English with the same reference, and only by the browser that failed', async () => {
    const browser = new Browser();
    const page = await failAtNemid(browser, 'LOCK001');
    expect(new URL(page.url).pathname).toMatch(/^\/error\//);
    const reference = referenceOf(page.body)!;
    const again = await browser.get(page.url);
    expect([errorCode(again), referenceOf(again.body)]).toEqual([5502, reference]);
    const english = await switchLanguage(browser, page, 'en');
    expect(english.url).toBe(page.url);
    expect(english.body).toContain('Error code');
    expect([errorCode(english), referenceOf(english.body)]).toEqual([5502, reference]);
    expect(await h.portvagt.audit.byReference(reference)).toHaveLength(1);

    const stranger = await new Browser().get(page.url);
    expect(errorCode(stranger)).toBe(3002);
    expect(stranger.body).not.toContain(reference);
  });

  it('show the time in Danish time, e.g. "2. december 2026 kl. 02:43 (dansk tid)"', async () => {
    const page = await failAtNemid(new Browser(), 'LOCK001');
    const iso = /<time datetime="([^"]+)">([^<]+)<\/time>/.exec(page.body)!;
    const copenhagen = new Date(iso[1]!).toLocaleString('sv-SE', { timeZone: 'Europe/Copenhagen' });
    expect(iso[2]).toContain(`kl. ${copenhagen.slice(11, 16)} (dansk tid)`);
  });
});

describe('the help page', () => {
  it('lists every code with an anchor, in both languages', async () => {
    for (const [lang, heading] of [['da', 'Hjælp til login'], ['en', 'Help']] as const) {
      const page = await new Browser({ 'accept-language': lang }).get(`${h.base}/help/errors`);
      expect(page.status).toBe(200);
      expect(page.body).toContain(heading);
      for (const code of ERROR_CODES) {
        expect(page.body).toContain(`id="${code}"`);
        expect(page.body).toContain(escaped(translate(lang, `codes.${code}.title`, { method: translate(lang, 'ui.errorPage.yourMethod') })));
      }
    }
  });
});
