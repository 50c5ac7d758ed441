import { connect } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { httpTransport } from '../../bench/http-transport.ts';
import { Browser, type Page } from '../helpers/browser.ts';
import { chooseMethod, startHarness, upstreamLogin, type Harness } from '../helpers/harness.ts';
import { planSites, portvagtClient, startApacheRp, type ApacheRp, type Site, type SiteSpec } from './apache-rp.ts';

/** A Portvagt test broker and an Apache RP whose sites are its clients, for one test file. */
export interface ModuleSetup {
  h: Harness;
  apache: ApacheRp;
  site(clientId: string): Site;
}

/**
 * Starts the broker with the sites' clients added (and `configure`'s changes), then Apache, before
 * the file's tests; stops both after them.
 */
export function useApacheRp(specs: SiteSpec[], configure?: (raw: Record<string, unknown>) => void): ModuleSetup {
  let running: { h: Harness; apache: ApacheRp } | undefined;
  beforeAll(async () => {
    const sites = await planSites(specs);
    const h = await startHarness({
      configure(raw) {
        (raw.clients as Record<string, unknown>[]).push(...sites.map(portvagtClient));
        configure?.(raw);
      },
    });
    try {
      running = { h, apache: await startApacheRp(sites, h.base) };
    } catch (error) {
      await h.close();
      throw error;
    }
  });
  afterAll(async () => {
    await running?.apache.stop();
    await running?.h.close();
  });
  const started = () => {
    if (!running) throw new Error('the Apache RP is used before beforeAll started it');
    return running;
  };
  return {
    get h() {
      return started().h;
    },
    get apache() {
      return started().apache;
    },
    site: (clientId) => started().apache.site(clientId),
  };
}

/**
 * A browser the module takes for one: it answers 401 instead of a login redirect to a request that
 * looks like a script's (no `text/html` in `accept`, or fetch's own `sec-fetch-mode: cors`, which
 * fetch does not let a caller change, hence the benchmark's node:http transport).
 */
export function navigatingBrowser(): Browser {
  return new Browser({ accept: 'text/html', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' }, httpTransport);
}

/** Opens the site's protected page, following redirects: the claims page, or Portvagt's chooser without a session. */
export function openProtected(browser: Browser, site: Site): Promise<Page> {
  return browser.get(site.protectedUrl, { follow: true });
}

/** Submits Portvagt's `form_post` answer to the module's redirect URI, as its script does in a real browser. */
export function postToModule(browser: Browser, answer: Page, site: Site): Promise<Page> {
  return browser.submit(answer, { form: (f) => f.action === site.redirectUri, follow: true });
}

/** A whole login from the protected page: the chooser, the method's mock (MitID's by default), and back through the module to the claims page. */
export async function loginThroughModule(browser: Browser, site: Site, subject: string, method = 'mitid'): Promise<Page> {
  const mock = await chooseMethod(browser, await openProtected(browser, site), method);
  return postToModule(browser, await upstreamLogin(browser, mock, subject), site);
}

/** Presses "Annullér" on Portvagt's chooser; the answer goes to the module as the chooser's system configured it. */
export function cancelAtChooser(browser: Browser, chooser: Page): Promise<Page> {
  return browser.submit(chooser, { form: (f) => f.action.endsWith('/abort'), follow: true });
}

/**
 * Goes on from the module's redirect to Portvagt's `/session/end` (followed first if `until` stopped
 * there): Portvagt's confirmation form (posted by its script, or the user's "yes") leads back to the site.
 */
export async function confirmLogout(browser: Browser, atPortvagt: Page): Promise<Page> {
  let page = await browser.follow(atPortvagt);
  while (page.body.includes('/session/end/confirm')) {
    page = await browser.submit(page, { form: (f) => f.action.endsWith('/session/end/confirm'), fields: { logout: 'yes' }, follow: true });
  }
  return page;
}

/** The module's logout URL: the module ends its session and sends the browser to Portvagt's `/session/end`. */
export async function logoutThroughModule(browser: Browser, site: Site): Promise<Page> {
  return confirmLogout(browser, await browser.get(site.logoutUrl, { follow: true }));
}

/** What the error template of the sites shows: the module's title and the OP's description. */
export function shownError(page: Pick<Page, 'body'>): { error: string | undefined; description: string | undefined } {
  const field = (id: string) => new RegExp(`<p id="${id}">([^<]*)</p>`).exec(page.body)?.[1]?.replaceAll('&quot;', '"');
  return { error: field('error'), description: field('description') };
}

/**
 * GETs `url` and reads the first response on the connection, as a browser shows it. The module follows
 * some of its error pages with a second, unasked-for response on the same connection, which node's
 * HTTP client (rightly) refuses to parse.
 */
export async function firstResponse(browser: Browser, url: string): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const socket = connect(Number(target.port), target.hostname);
  const cookie = browser.jar.header(target);
  socket.end(`GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nAccept: text/html\r\n${cookie ? `Cookie: ${cookie}\r\n` : ''}Connection: close\r\n\r\n`);
  const raw = Buffer.concat(await socket.toArray());
  const headEnd = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, headEnd).toString('latin1');
  const length = Number(/^content-length:\s*(\d+)/im.exec(head)?.[1] ?? raw.length);
  return { status: Number(head.split(' ', 2)[1]), body: raw.subarray(headEnd + 4, headEnd + 4 + length).toString('utf8') };
}

/** The claims the protected page shows (`name=value` lines), and the userinfo the module read. */
export function shownClaims(page: Page): { claims: Record<string, string>; userinfo: Record<string, unknown> | undefined } {
  const claims = Object.fromEntries([...page.body.matchAll(/<p>(\w+)=([^<]*)<\/p>/g)].map(([, name, value]) => [name!, value!]));
  const userinfo = /<pre id="userinfo">([^<]*)<\/pre>/.exec(page.body)?.[1];
  return { claims, userinfo: userinfo ? (JSON.parse(userinfo) as Record<string, unknown>) : undefined };
}
