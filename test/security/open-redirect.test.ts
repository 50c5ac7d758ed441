import { describe, expect, it } from 'vitest';
import { Browser, readForms, readLinks, type Page } from '../helpers/browser.ts';
import { errorCode, openAuthorize, RP_REDIRECT, rpAuthorizeUrl, useHarness } from '../helpers/harness.ts';
import { rawRequest } from './helpers/attack.ts';

const h = useHarness();
const EVIL = 'https://evil.example';

/** Every form action and link of a page that leaves Portvagt. */
function offSiteTargets(page: Pick<Page, 'url' | 'body'>): string[] {
  const targets = [...readForms(page.body, page.url).map((f) => f.action), ...readLinks(page.body, page.url).map((l) => l.href)];
  return targets.filter((target) => new URL(target).origin !== new URL(h.base).origin);
}

describe('open redirects through redirect_uri', () => {
  const variants = [
    'https://rp.example/c',
    'https://rp.example/',
    'https://rp.example/cb/evil',
    'https://rp.example/cbevil',
    'https://rp.example/cb?next=https://evil.example',
    'https://rp.example/cb#@evil.example',
    'https://rp.example.evil.example/cb',
    'https://rp.example@evil.example/cb',
    'https://rp.example%2Fcb',
    'https%3A%2F%2Frp.example%2Fcb',
    'https://rp.example/%63b',
    'https://rp.example/cb%2F..%2F..%2Fevil',
    'https://rp.example:444/cb',
    'http://rp.example/cb',
    'HTTPS://RP.EXAMPLE/cb',
    'javascript://rp.example/cb',
    'https://rp.example/cb\r\nLocation: https://evil.example',
  ];
  for (const redirectUri of variants) {
    it(`refuses ${JSON.stringify(redirectUri)} with 5005 and sends the browser nowhere`, async () => {
      const page = await openAuthorize(new Browser(), await rpAuthorizeUrl(h, { redirect_uri: redirectUri }));
      expect(page.status).toBe(400);
      expect(page.location).toBeUndefined();
      expect(errorCode(page)).toBe(5005);
      expect(offSiteTargets(page)).toEqual([]);
    });
  }
});

describe('open redirects through the language switch', () => {
  const switchTo = (returnTo: string) => `${h.base}/lang?${new URLSearchParams({ lang: 'en', return_to: returnTo }).toString()}`;

  it('follows a local return target (the control case)', async () => {
    const page = await new Browser().get(switchTo('/help/errors'));
    expect(page.status).toBe(303);
    expect(page.location).toBe(`${h.base}/help/errors`);
  });

  for (const target of ['//evil.example', EVIL, '/\\evil.example', '/\t/evil.example', '/\\/evil.example', ' //evil.example']) {
    it(`refuses return_to=${JSON.stringify(target)} with 8000 on Portvagt's own page`, async () => {
      const page = await new Browser().get(switchTo(target), { until: (url) => !url.startsWith(h.base) });
      expect(page.stopped).toBe(false);
      expect(errorCode(page)).toBe(8000);
      expect(offSiteTargets(page)).toEqual([]);
    });
  }

  it('offers no language switch back to an address a browser would read as another host', async () => {
    const answer = await rawRequest(h.base, '/\\evil.example');
    expect(answer!.status).toBe(404);
    expect(answer!.body).toContain('<h1>Siden findes ikke</h1>');
    expect(answer!.body).not.toContain('href="/lang');
  });
});

describe('open redirects through any return-style parameter', () => {
  const names = ['return_to', 'returnTo', 'return', 'redirect', 'redirect_url', 'next', 'url', 'continue', 'goto', 'post_logout_redirect_uri'];
  const evilQuery = names.map((n) => `${n}=${encodeURIComponent(EVIL)}`).join('&');

  it('never leads the browser to a target it names', async () => {
    const login = await rpAuthorizeUrl(h);
    const starts = [
      `${login.url}&${evilQuery}`,
      `${h.base}/interaction/some-uid?${evilQuery}`,
      `${h.base}/callback/mitid?state=x&code=y&${evilQuery}`,
      `${h.base}/help/errors?${evilQuery}`,
      `${h.base}/lang?${evilQuery}`,
      `${h.base}/session/end?client_id=test-rp&${evilQuery}`,
      `${h.base}/no/such/page?${evilQuery}`,
    ];
    for (const start of starts) {
      const page = await new Browser().get(start, { until: (url) => !url.startsWith(h.base) });
      expect(page.url.startsWith(EVIL), start).toBe(false);
      expect(offSiteTargets(page).filter((t) => t.startsWith(EVIL)), start).toEqual([]);
      if (page.stopped) expect(page.url.startsWith(RP_REDIRECT) || page.url.startsWith(h.issuerOf('mitid')), start).toBe(true);
    }
  });
});
