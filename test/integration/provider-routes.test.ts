import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { Browser } from '../helpers/browser.ts';
import { chooseMethod, errorCode, identities, linkedAccount, rpAuthorizeUrl, rpExchange, toRp, upstreamLogin, useHarness } from '../helpers/harness.ts';

const h = useHarness();

interface Raw {
  status: number;
  type: string;
  body: string;
}

/** Any method, TRACE included (fetch refuses to send it), with no body. */
function send(method: string, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${h.base}${path}`, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'] ?? '', body }));
    });
    req.on('error', reject).end();
  });
}

describe('the authorization endpoint by POST (OpenID Connect Core 3.1.2.1)', () => {
  it('takes the request as a form and leads to the same login as GET', async () => {
    const subject = identities.nemid[1]!.sub;
    const account = await linkedAccount(h, 'nemid', subject);
    const login = await rpAuthorizeUrl(h);
    const url = new URL(login.url);
    const browser = new Browser();
    const chooser = await browser.post(`${url.origin}${url.pathname}`, Object.fromEntries(url.searchParams), { until: toRp });
    expect(chooser.status).toBe(200);
    expect(chooser.body).toContain('data-method="nemid"');
    const back = await upstreamLogin(browser, await chooseMethod(browser, chooser, 'nemid'), subject);
    expect((await rpExchange(h, login, back.url)).claims()!.sub).toBe(account.id);
  });

  it('shows 7001 for a client that is configured but switched off, as by GET', async () => {
    const url = new URL((await rpAuthorizeUrl(h)).url);
    const fields = { ...Object.fromEntries(url.searchParams), client_id: 'disabled-rp' };
    expect(errorCode(await new Browser().post(`${url.origin}${url.pathname}`, fields, { until: toRp }))).toBe(7001);
    expect(errorCode(await new Browser().get(`${url.origin}${url.pathname}?${new URLSearchParams(fields)}`, { until: toRp }))).toBe(7001);
  });
});

describe("what the provider's addresses do not serve is answered by Portvagt", () => {
  it('at a machine address (token, userinfo, JWKS, .well-known): a JSON OAuth error', async () => {
    for (const [method, path] of [['GET', '/token'], ['PUT', '/token'], ['OPTIONS', '/token'], ['TRACE', '/token'], ['GET', '/.well-known/unknown'], ['POST', '/.well-known/openid-configuration'], ['DELETE', '/jwks'], ['GET', '/token/nothing']]) {
      const answer = await send(method!, path!);
      expect({ request: `${method} ${path}`, status: answer.status, type: answer.type }).toEqual({ request: `${method} ${path}`, status: 404, type: expect.stringMatching(/^application\/json/) });
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'invalid_request' });
    }
  });

  it("at a page address (authorization, logout, the flows' pages): Portvagt's own 404 page", async () => {
    const pages = [['TRACE', '/auth'], ['OPTIONS', '/auth'], ['PUT', '/auth'], ['GET', '/auth/no/such/thing'], ['GET', '/session/end/nothing'], ['OPTIONS', '/interaction/abc'], ['OPTIONS', '/error/abc'], ['TRACE', '/']];
    for (const [method, path] of pages) {
      const answer = await send(method!, path!);
      expect({ request: `${method} ${path}`, status: answer.status, type: answer.type }).toEqual({ request: `${method} ${path}`, status: 404, type: expect.stringMatching(/^text\/html/) });
      expect(answer.body).toContain('<h1>Siden findes ikke</h1>');
    }
  });

  it("leaves the provider's own endpoints as they are", async () => {
    expect((await send('GET', '/.well-known/openid-configuration')).status).toBe(200);
    expect((await send('GET', '/jwks')).status).toBe(200);
    // A CORS preflight (with its Origin) is the provider's.
    expect((await send('OPTIONS', '/token', { origin: 'https://rp.example', 'access-control-request-method': 'POST' })).status).toBe(204);
  });
});
