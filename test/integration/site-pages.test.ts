import { describe, expect, it } from 'vitest';
import { Browser, readLinks, type Page } from '../helpers/browser.ts';
import { errorCode, openAuthorize, rpAuthorizeUrl, useHarness } from '../helpers/harness.ts';

const h = useHarness();

/** The log lines a request wrote at warn level or above (pino: 40 and up). */
async function warningsDuring(request: () => Promise<unknown>): Promise<string[]> {
  const before = h.logLines.length;
  await request();
  return h.logLines.slice(before).filter((line) => (JSON.parse(line) as { level: number }).level >= 40);
}

describe('the files every site is asked for', () => {
  it('serves /favicon.ico as an icon the browser may keep for a day', async () => {
    const response = await fetch(`${h.base}/favicon.ico`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/x-icon');
    expect(response.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(response.headers.get('set-cookie')).toBeNull();
    const icon = Buffer.from(await response.arrayBuffer());
    // An ICO directory (reserved 0, type 1) holding at least one image.
    expect(icon.readUInt16LE(0)).toBe(0);
    expect(icon.readUInt16LE(2)).toBe(1);
    expect(icon.readUInt16LE(4)).toBeGreaterThan(0);
  });

  it('serves /robots.txt keeping every crawler out', async () => {
    const response = await fetch(`${h.base}/robots.txt`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(await response.text()).toBe('User-agent: *\nDisallow: /\n');
  });
});

describe('an address that leads nowhere', () => {
  it('gets a plain 404 page in Danish by default, not a failed login, and no warning in the log', async () => {
    let page!: Page;
    const warnings = await warningsDuring(async () => (page = await new Browser().get(`${h.base}/no/such/page?x=1`)));
    expect(warnings).toEqual([]);
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/html/);
    expect(page.body).toContain('<html lang="da"');
    expect(page.body).toContain('<h1>Siden findes ikke</h1>');
    expect(errorCode(page)).toBeUndefined();
    expect(page.body).not.toContain('Fejlkode');
    // The site's own page frame: the design system's stylesheet and the help link in the footer.
    expect(page.body).toContain('/static/dkfds/css/');
    expect(page.body).toContain('href="/help/errors"');
  });

  it('speaks English when the browser prefers it', async () => {
    const page = await new Browser({ 'accept-language': 'en-GB,en;q=0.9' }).post(`${h.base}/nothing-here`, { a: '1' });
    expect(page.status).toBe(404);
    expect(page.body).toContain('<html lang="en"');
    expect(page.body).toContain('<h1>Page not found</h1>');
  });

  it('speaks the language the user chose with the language switch', async () => {
    const browser = new Browser();
    const chooser = await openAuthorize(browser, await rpAuthorizeUrl(h));
    const english = readLinks(chooser.body, chooser.url).find((link) => link.attributes['data-lang'] === 'en');
    await browser.get(english!.href, { follow: true });
    const page = await browser.get(`${h.base}/no/such/page`);
    expect(page.status).toBe(404);
    expect(page.body).toContain('<h1>Page not found</h1>');
  });
});
