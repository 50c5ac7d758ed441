import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserCookies, browserId, browserOf } from '../../src/http/browser-cookies.ts';

let server: Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.use(browserCookies(true));
  app.get('/id', (req, res) => {
    const returning = browserOf(req).returning;
    res.json({ first: browserId(req), again: browserId(req), returning });
  });
  app.get('/lang', (req, res) => {
    browserOf(req).setLocale('en');
    res.json({ locale: browserOf(req).locale });
  });
  app.get('/plain', (req, res) => void res.json({ locale: browserOf(req).locale ?? null }));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

async function get(path: string, cookie?: string): Promise<{ body: Record<string, string | boolean | null>; cookies: string[] }> {
  const response = await fetch(`${base}${path}`, { headers: cookie ? { cookie } : {} });
  return { body: (await response.json()) as Record<string, string | boolean | null>, cookies: response.headers.getSetCookie() };
}

describe('the browser id cookie', () => {
  it('is issued on first use: 144 random bits, HttpOnly, SameSite=Lax, Secure behind https, for an hour, once per response', async () => {
    const { body, cookies } = await get('/id');
    expect(body.first).toMatch(/^[\w-]{24}$/);
    expect(body.again).toBe(body.first);
    expect(body.returning).toBe(false);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(new RegExp(`^portvagt\\.browser=${body.first}; Max-Age=3600; Path=/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$`));
  });

  it('keeps the id the browser brings and sends it again, so a flow in progress never loses it', async () => {
    const id = 'AbCdEfGhIjKlMnOpQrStUv-_';
    const { body, cookies } = await get('/id', `other=1; portvagt.browser=${id}`);
    expect(body.first).toBe(id);
    expect(body.returning).toBe(true);
    expect(cookies[0]).toMatch(new RegExp(`^portvagt\\.browser=${id}; Max-Age=3600;`));
  });

  it('replaces a malformed id with a new one', async () => {
    for (const planted of ['short', 'x'.repeat(25), 'AbCdEfGhIjKlMnOpQrStUv/+', '']) {
      const { body } = await get('/id', `portvagt.browser=${planted}`);
      expect(body.first).toMatch(/^[\w-]{24}$/);
      expect(body.first).not.toBe(planted);
      expect(body.returning).toBe(false);
    }
  });

  it('is not set on a request that never asks for it', async () => {
    expect((await get('/plain')).cookies).toEqual([]);
  });
});

describe('the language cookie', () => {
  it('keeps the chosen language for a year', async () => {
    const { body, cookies } = await get('/lang');
    expect(body.locale).toBe('en');
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/^portvagt\.lang=en; Max-Age=31536000; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/);
    expect((await get('/plain', 'portvagt.lang=en')).body.locale).toBe('en');
  });

  it('ignores a value that is not one of the languages', async () => {
    for (const planted of ['xx', 'en-GB', '__proto__', 'da,en']) expect((await get('/plain', `portvagt.lang=${planted}`)).body.locale).toBeNull();
  });
});
