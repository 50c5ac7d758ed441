import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, readForm, readLinks } from '../helpers/browser.ts';

describe('test browser', () => {
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    const app = express();
    app.use(express.urlencoded({ extended: false }));
    app.get('/flow/start', (_req, res) => {
      res.cookie('scoped', 'yes', { path: '/flow/step' }).cookie('gone', 'soon').redirect(303, '/flow/step/1');
    });
    app.get('/flow/step/1', (req, res) => {
      res.clearCookie('gone').json({ cookie: req.headers.cookie ?? '' });
    });
    app.get('/flow/other', (req, res) => void res.json({ cookie: req.headers.cookie ?? '' }));
    app.post('/keep', (_req, res) => void res.redirect(307, '/echo'));
    app.post('/echo', (req, res) => void res.json({ method: req.method, body: req.body }));
    app.get('/echo', (req, res) => void res.json({ method: req.method, query: req.query }));
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  }));

  it('sends cookies only under their Path and forgets cleared ones', async () => {
    const browser = new Browser();
    const step = await browser.get(`${origin}/flow/start`, { follow: true });
    expect(JSON.parse(step.body).cookie).toBe('scoped=yes; gone=soon');
    expect(JSON.parse((await browser.get(`${origin}/flow/other`)).body).cookie).toBe('');
    expect(JSON.parse((await new Browser().get(`${origin}/flow/other`)).body).cookie).toBe('');
  });

  it('stops before a URL that `until` matches', async () => {
    const page = await new Browser().get(`${origin}/flow/start`, { until: (url) => url.endsWith('/1') });
    expect(page).toMatchObject({ stopped: true, status: 303, url: `${origin}/flow/step/1` });
  });

  it('repeats method and body on a 307', async () => {
    const page = await new Browser().post(`${origin}/keep`, { a: '1' }, { follow: true });
    expect(JSON.parse(page.body)).toEqual({ method: 'POST', body: { a: '1' } });
  });

  it('reads forms and links the way a browser submits them', async () => {
    const html = `
      <form name="first" action="/echo"><input name="q" value="a &amp; b"></form>
      <form id="second" method="POST" action="echo?x=1">
        <input type="hidden" name="csrf" value='t&#x27;k'>
        <input type="radio" name="r" value="1"><input type="radio" name="r" value="2" checked>
        <input type="checkbox" name="c"><input name="off" value="x" disabled>
        <select name="s"><option value="one">One<option selected>Two</option></select>
        <textarea name="t">
line</textarea>
        <button name="go" value="yes">Go</button><button type="button" name="no">No</button>
      </form>
      <a href="/help#codes" class="help">Help &amp; codes</a>`;
    const form = readForm(html, `${origin}/page/`, 'second');
    expect(form).toMatchObject({
      action: `${origin}/page/echo?x=1`,
      method: 'post',
      fields: { csrf: "t'k", r: '2', s: 'Two', t: 'line' },
      buttons: [{ name: 'go', value: 'yes', text: 'Go' }],
    });
    expect(readForm(html, origin).fields).toEqual({ q: 'a & b' });
    expect(readLinks(html, origin)).toEqual([{ href: `${origin}/help#codes`, text: 'Help & codes', attributes: { href: '/help#codes', class: 'help' } }]);

    const page = await new Browser().submit({ body: html, url: `${origin}/page` }, { form: 'first', fields: { extra: 'e' } });
    expect(JSON.parse(page.body)).toEqual({ method: 'GET', query: { q: 'a & b', extra: 'e' } });
  });
});
