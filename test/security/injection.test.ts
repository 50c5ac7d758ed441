import { describe, expect, it } from 'vitest';
import { Browser } from '../helpers/browser.ts';
import { errorCode, identities, openAuthorize, RP_REDIRECT, rpAuthorizeUrl, toRp, useHarness } from '../helpers/harness.ts';
import { afterUpstreamLogin, callbackUrlOf, rawRequest, submitForm, withParams } from './helpers/attack.ts';

const h = useHarness();

const PAYLOAD = `"'><script>alert(1)</script><img src=x onerror=alert(1)><svg onload=alert(1)>`;

/** Nothing of the payload arrived as markup: no script element, no element carrying its handlers. */
function expectInert(body: string): void {
  expect(body).not.toMatch(/<script/i);
  expect(body).not.toMatch(/<img src=x|<svg onload/i);
}

describe('HTML and script injection through reflected values', () => {
  const authorizeParams = ['client_id', 'redirect_uri', 'state', 'nonce', 'scope', 'response_type', 'tenant', 'action', 'login_method', 'ui_locales', 'prompt', 'code_challenge', 'claims'];
  for (const name of authorizeParams) {
    it(`/auth with ${name} carrying markup renders it inert`, async () => {
      const login = await rpAuthorizeUrl(h, { [name]: PAYLOAD });
      const page = await new Browser().get(login.url, { until: toRp });
      if (page.stopped) expect(page.url.startsWith(RP_REDIRECT)).toBe(true);
      else expectInert(page.body);
    });
  }

  it('every authorize parameter at once, and a tenant for a client with several', async () => {
    const all = Object.fromEntries(authorizeParams.map((n) => [n, PAYLOAD]));
    expectInert((await openAuthorize(new Browser(), await rpAuthorizeUrl(h, all))).body);
    const page = await openAuthorize(new Browser(), await rpAuthorizeUrl(h, { client_id: 'multi-rp', tenant: PAYLOAD }));
    expect(errorCode(page)).toBe(3008);
    expectInert(page.body);
  });

  it('an upstream error redirect with markup in every parameter shows only Portvagt text', async () => {
    const browser = new Browser();
    const { callbackUrl } = await callbackUrlOf(h, browser, 'nemid', identities.nemid[0]!.sub);
    const hostile = withParams(callbackUrl, { code: null, error: PAYLOAD, error_description: PAYLOAD, error_uri: PAYLOAD, hid_error: PAYLOAD, hid_failure: PAYLOAD });
    const page = await browser.get(hostile, { until: toRp });
    expect(errorCode(page)).toBeGreaterThan(0);
    expectInert(page.body);
    expect(page.body).not.toContain('alert(1)');
  });

  it('a callback whose state is markup renders inert', async () => {
    const page = await new Browser().get(`${h.base}/callback/mitid?state=${encodeURIComponent(PAYLOAD)}&code=${encodeURIComponent(PAYLOAD)}`, { follow: true });
    expect(errorCode(page)).toBe(3002);
    expectInert(page.body);
  });

  it('a username with markup is shown back escaped on the first-time login form', async () => {
    const browser = new Browser();
    const { page: form } = await afterUpstreamLogin(h, browser, 'first-login', 'nemid', identities.nemid[1]!.sub);
    const answer = await submitForm(browser, form, '/first-login', { username: PAYLOAD, password: PAYLOAD });
    expect(answer.status).toBe(401);
    expectInert(answer.body);
    expect(answer.body).toContain('&lt;script&gt;');
  });

  it('markup in the path, query and headers of any page renders inert', async () => {
    const encoded = encodeURIComponent(PAYLOAD);
    for (const path of [`/no/${encoded}`, `/help/errors?x=${encoded}`, `/interaction/${encoded}`, `/callback/${encoded}?state=a&code=b`, `/lang?return_to=${encoded}`]) {
      expectInert((await new Browser({ 'accept-language': PAYLOAD }).get(`${h.base}${path}`, { follow: true })).body);
    }
    const raw = await rawRequest(h.base, `/no/"><script>alert(1)</script>`, { headers: { 'accept-language': PAYLOAD } });
    if (raw) expectInert(raw.body);
  });
});
