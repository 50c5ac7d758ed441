import { describe, expect, it } from 'vitest';
import { Browser } from '../helpers/browser.ts';
import { errorCode, openAuthorize, RP_REDIRECT, rpAuthorizeUrl, useHarness } from '../helpers/harness.ts';

const h = useHarness();

async function authorize(params: Record<string, string>) {
  const login = await rpAuthorizeUrl(h, params);
  return openAuthorize(new Browser(), login);
}

async function rawAuthorize(query: string) {
  return new Browser().get(`${h.base}/auth?${query}`, { until: (url) => url.startsWith(RP_REDIRECT) });
}

describe('authorize requests Portvagt cannot serve are pages with their code', () => {
  it('7000 for an unknown client', async () => {
    const page = await authorize({ client_id: 'no-such-system' });
    expect(errorCode(page)).toBe(7000);
    expect(page.status).toBe(400);
    expect(page.headers.get('content-type')).toMatch(/html/);
  });

  it('sends the browser to the page with a 303 that says "See Other", whatever oidc-provider had set', async () => {
    // A browser that brought its id gets the page by redirect (POST/redirect/GET).
    const response = await fetch(`${h.base}/auth?client_id=no-such-system`, { redirect: 'manual', headers: { cookie: 'portvagt.browser=AbCdEfGhIjKlMnOpQrStUv-_' } });
    expect(response.status).toBe(303);
    expect(response.statusText).toBe('See Other');
  });

  it('7001 for a client that is configured but disabled', async () => {
    expect(errorCode(await authorize({ client_id: 'disabled-rp' }))).toBe(7001);
  });

  it('5005 for a redirect URI that is not registered', async () => {
    expect(errorCode(await authorize({ redirect_uri: 'https://evil.example/cb' }))).toBe(5005);
    expect(errorCode(await authorize({ redirect_uri: `${RP_REDIRECT}/extra` }))).toBe(5005);
  });

  it('5005 for a missing redirect URI', async () => {
    expect(errorCode(await rawAuthorize('client_id=test-rp&response_type=code&scope=openid&code_challenge=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq&code_challenge_method=S256'))).toBe(5005);
  });

  it('3000 when the request carries no client at all', async () => {
    const page = await rawAuthorize('response_type=code&scope=openid');
    expect(errorCode(page)).toBe(3000);
  });

  it('5004 for an unknown login method, and for one the client does not allow', async () => {
    expect(errorCode(await authorize({ login_method: 'facebook' }))).toBe(5004);
    expect(errorCode(await authorize({ client_id: 'multi-rp', tenant: 'acme', login_method: 'nemid' }))).toBe(5004);
  });

  it('5003 for an unknown action', async () => {
    const page = await authorize({ action: 'delete-everything' });
    expect(errorCode(page)).toBe(5003);
    expect(page.body).toContain('Tilbage til Test System');
  });

  it('3008 for an unknown tenant, a tenant the client does not serve, and a missing one where needed', async () => {
    expect(errorCode(await authorize({ tenant: 'nope' }))).toBe(3008);
    expect(errorCode(await authorize({ tenant: 'beta' }))).toBe(3008);
    expect(errorCode(await authorize({ client_id: 'multi-rp' }))).toBe(3008);
  });

  it('sends the RP an access_denied error carrying the code from "back to the system"', async () => {
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h, { action: 'nope' });
    const page = await openAuthorize(browser, login);
    const back = await browser.submit(page, { form: (f) => f.action.endsWith('/abort'), until: (url) => url.startsWith(RP_REDIRECT) });
    const params = new URL(back.url).searchParams;
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('error_description')).toContain('5003');
    expect(params.get('state')).toBe(login.state);
  });

  it('refuses a plain request without PKCE by telling the RP, never by logging in', async () => {
    const page = await rawAuthorize(`client_id=test-rp&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(RP_REDIRECT)}&state=s1`);
    expect(page.stopped).toBe(true);
    const params = new URL(page.url).searchParams;
    expect(params.get('error')).toBe('invalid_request');
    expect(params.get('code')).toBeNull();
  });
});
