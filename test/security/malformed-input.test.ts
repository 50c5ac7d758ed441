import { describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/i18n.ts';
import { Browser, readForm } from '../helpers/browser.ts';
import { errorCode, identities, linkedAccount, openAuthorize, RP_REDIRECT, rpAuthorizeUrl, toRp, upstreamLogin, chooseMethod, useHarness } from '../helpers/harness.ts';
import { rawPage, rawRequest } from './helpers/attack.ts';

const h = useHarness();

const codeOf = (body: string) => {
  const match = /<main[^>]*data-error-code="(\d+)"/.exec(body);
  return match ? Number(match[1]) : undefined;
};

describe('oversized and malformed input', () => {
  it('a 100 kB query string is refused at the door, and the next request is served', async () => {
    const answer = await rawRequest(h.base, `/auth?client_id=test-rp&x=${'a'.repeat(100_000)}`);
    // Node refuses request heads over 16 kB itself (431), or drops the connection while the client still writes.
    if (answer) expect(answer.status).toBe(431);
    expect((await new Browser().get(`${h.base}/healthz`)).status).toBe(200);
  });

  it('a long query string under that limit gets its code page', async () => {
    const login = await rpAuthorizeUrl(h, { state: 's'.repeat(12_000) });
    const page = await new Browser().get(login.url, { until: toRp });
    expect(page.status).toBe(200);
    expect(readForm(page.body, page.url, (f) => f.action.endsWith('/method')).buttons.length).toBeGreaterThan(0);
  });

  it('a 100 kB form body changes nothing: the flow\'s page again, saying the text was too long', async () => {
    const browser = new Browser();
    const chooser = await openAuthorize(browser, await rpAuthorizeUrl(h));
    const form = readForm(chooser.body, chooser.url, (f) => f.action.endsWith('/method'));
    const page = await browser.post(form.action, { ...form.fields, method: 'nemid', padding: 'x'.repeat(100_000) }, { until: toRp });
    expect(page.url).toBe(`${chooser.url}?too-long`);
    expect(errorCode(page)).toBeUndefined();
    expect(page.body).toContain(translate('da', 'ui.layout.tooLong').slice(0, 30));
    expect(readForm(page.body, page.url, (f) => f.action.endsWith('/method')).action).toBe(form.action);
  });

  it('invalid UTF-8 percent-encoding gets a code page, never a 500', async () => {
    const cases: [string, number][] = [
      ['/auth?client_id=%C3%28&response_type=code', 7000],
      ['/auth?client_id=%FF%FE&redirect_uri=%E0%A4%A', 7000],
      ['/interaction/%E0%A4%A', 3000],
      ['/callback/mitid?state=%FF&code=%C0%AF', 3002],
      ['/callback/%C0%AF?state=a&code=b', 3000],
    ];
    for (const [path, code] of cases) {
      const answer = (await rawPage(h.base, path))!;
      expect(answer.status, path).toBeLessThan(500);
      expect(codeOf(answer.body), path).toBe(code);
    }
  });

  it('arrays and repeats where one string is expected count as missing or malformed', async () => {
    const cases: [string, number][] = [
      ['client_id[]=a', 3000],
      ['client_id[0]=test-rp', 3000],
      ['client_id=test-rp&client_id=multi-rp', 3000],
      ['client_id=test-rp&redirect_uri[]=https://rp.example/cb', 5005],
    ];
    for (const [query, code] of cases) {
      const page = await new Browser().get(`${h.base}/auth?${query}&response_type=code&scope=openid`, { follow: true });
      expect(errorCode(page), query).toBe(code);
    }
    const repeatedState = await new Browser().get(`${h.base}/callback/mitid?state=a&state=b&code=c`, { follow: true });
    expect(errorCode(repeatedState)).toBe(3000);
  });

  it('CR/LF in parameters that end up in a redirect stays encoded: no header is injected', async () => {
    await linkedAccount(h, 'nemid', identities.nemid[0]!.sub);
    const injected = 'x\r\nSet-Cookie: injected=1\r\nLocation: https://evil.example';
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h, { state: injected });
    const back = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'nemid'), identities.nemid[0]!.sub);
    expect(back.url.startsWith(RP_REDIRECT)).toBe(true);
    expect(new URL(back.url).searchParams.get('state')).toBe(injected);
    expect(back.headers.get('location')).not.toMatch(/[\r\n]/);
    expect(back.headers.getSetCookie().some((c) => c.startsWith('injected'))).toBe(false);

    for (const path of [`/auth?client_id=test-rp&login_method=nemid%0d%0aX-Injected:%201`, `/lang?return_to=/%0d%0aX-Injected:%201`, `/callback/nemid%0d%0aX-Injected:%201?state=a&code=b`]) {
      const answer = (await rawRequest(h.base, path))!;
      expect(answer.headers['x-injected'], path).toBeUndefined();
      expect(answer.headers.location ?? '', path).not.toMatch(/[\r\n]/);
    }
  });
});
