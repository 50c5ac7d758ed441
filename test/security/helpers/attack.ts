/** Steps and checks the attack tests share: reaching a flow's state, and "refused, nothing issued". */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { expect } from 'vitest';
import { Browser, type Page } from '../../helpers/browser.ts';
import { chooseMethod, errorCode, openAuthorize, RP_REDIRECT, rpAuthorizeUrl, toRp, upstreamLogin, type Harness, type RpLogin } from '../../helpers/harness.ts';

/** The attack was answered with `code` on Portvagt's own page, and no authorization code reached the RP. */
export function expectRefused(page: Page, code: number): void {
  expect(page.url.startsWith(RP_REDIRECT), `reached the RP: ${page.url}`).toBe(false);
  expect(page.location?.startsWith(RP_REDIRECT) ?? false).toBe(false);
  expect(errorCode(page)).toBe(code);
}

/** On the mock upstream's page, logs in as `subject` and returns the callback URL the browser was sent to, unfollowed. */
export async function stopAtCallback(browser: Browser, mockPage: Page, subject: string): Promise<string> {
  const stop = await browser.submit(mockPage, { form: (f) => f.action.endsWith('/login'), fields: { identity: subject }, until: (url) => url.includes('/callback/') });
  expect(stop.stopped).toBe(true);
  return stop.url;
}

/** Logs in at the mock upstream and stops before the browser reaches Portvagt's callback. */
export async function callbackUrlOf(h: Harness, browser: Browser, method: string, subject: string, params: Record<string, string> = {}): Promise<{ login: RpLogin; callbackUrl: string }> {
  const login = await rpAuthorizeUrl(h, params);
  const mockPage = await chooseMethod(browser, await openAuthorize(browser, login), method);
  return { login, callbackUrl: await stopAtCallback(browser, mockPage, subject) };
}

/** Starts a flow with `action` and logs in upstream; returns the page Portvagt answers with. */
export async function afterUpstreamLogin(h: Harness, browser: Browser, action: string, method: string, subject: string): Promise<{ login: RpLogin; page: Page }> {
  const login = await rpAuthorizeUrl(h, { action });
  const page = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), method), subject);
  return { login, page };
}

/** On a page of Portvagt, submits the form whose action ends with `suffix`. */
export function submitForm(browser: Browser, page: Page, suffix: string, fields: Record<string, string> = {}, button?: { name: string; value: string }): Promise<Page> {
  return browser.submit(page, { form: (f) => f.action.endsWith(suffix), fields, ...(button ? { button } : {}), until: toRp });
}

/** The value of a browser's cookie `name` for Portvagt (its browser id: `portvagt.browser`). */
export function cookieOf(h: Harness, browser: Browser, name: string): string | undefined {
  return browser.jar.cookiesFor(new URL(h.base)).find((c) => c.name === name)?.value;
}

/** A URL with some query parameters replaced (or removed, for `null`). */
export function withParams(url: string, params: Record<string, string | null>): string {
  const target = new URL(url);
  for (const [key, value] of Object.entries(params)) {
    if (value === null) target.searchParams.delete(key);
    else target.searchParams.set(key, value);
  }
  return target.href;
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One request exactly as written (fetch would normalise the path or refuse the bytes). A connection
 * the server drops before answering resolves to `undefined`.
 */
export function rawRequest(base: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawAnswer | undefined> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve(undefined) : reject(error)));
    req.end(options.body);
  });
}

/**
 * `rawRequest`, then, where the answer is the redirect to an error page (POST/redirect/GET), that page
 * fetched with the cookies the first answer set: the page a browser would show.
 */
export async function rawPage(base: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawAnswer | undefined> {
  const answer = await rawRequest(base, path, options);
  const location = answer?.headers.location;
  if (!answer || !location?.startsWith('/error/')) return answer;
  const cookie = (answer.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  return rawRequest(base, location, { headers: cookie ? { cookie } : {} });
}
