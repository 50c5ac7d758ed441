import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamUnreachableError } from '../../src/errors/boundary-errors.ts';
import { upstreamFetch } from '../../src/upstream/upstream-fetch.ts';
import { freePort } from '../helpers/harness.ts';

// What the upstream saw of the last request.
let seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string } | undefined;
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() };
      if (req.url === '/token') return void res.writeHead(400, 'Bad Request', { 'content-type': 'application/json', 'www-authenticate': 'Bearer', 'set-cookie': ['a=1', 'b=2'] }).end('{"error":"invalid_grant"}');
      if (req.url === '/empty') return void res.writeHead(204).end();
      if (req.url === '/redirect') return void res.writeHead(302, { location: 'http://elsewhere.example/' }).end();
      if (req.url === '/huge') return void res.writeHead(200).end(Buffer.alloc(2 ** 20 + 1, 'x'));
      if (req.url === '/silent') return;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: 'https://up.example' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const get = (path: string, signal?: AbortSignal) => upstreamFetch(`${base}${path}`, { method: 'GET', headers: { accept: 'application/json' }, body: undefined, redirect: 'manual', signal } as never);

describe('the HTTP client towards upstreams', () => {
  it('sends method, headers and form body as given, and hands back status, headers and body as a Response', async () => {
    const response = await upstreamFetch(`${base}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'c&d' }),
      redirect: 'manual',
    } as never);
    expect(seen).toMatchObject({ method: 'POST', url: '/token', body: 'grant_type=authorization_code&code=c%26d' });
    expect(seen!.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(400);
    expect(response.statusText).toBe('Bad Request');
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ error: 'invalid_grant' });
  });

  it('answers a 204 with an empty body and never follows a redirect', async () => {
    const empty = await get('/empty');
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
    const redirect = await get('/redirect');
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('http://elsewhere.example/');
  });

  it('fails with UpstreamUnreachableError when nothing listens, naming the address without its query', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/token?code=secret`;
    const failure = await upstreamFetch(closed, { method: 'GET', headers: {}, body: undefined, redirect: 'manual' } as never).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamUnreachableError);
    expect((failure as UpstreamUnreachableError).url).toBe(closed.replace('?code=secret', ''));
    expect((failure as Error).message).not.toContain('secret');
  });

  it('gives up at the timeout and refuses a body over 1 MiB, both as UpstreamUnreachableError', async () => {
    const timedOut = await get('/silent', AbortSignal.timeout(50)).catch((error: unknown) => error);
    expect(timedOut).toBeInstanceOf(UpstreamUnreachableError);
    expect(((timedOut as Error).cause as Error).name).toBe('TimeoutError');
    const huge = await get('/huge').catch((error: unknown) => error);
    expect(huge).toBeInstanceOf(UpstreamUnreachableError);
  });

  it('refuses anything but http and https', async () => {
    await expect(upstreamFetch('file:///etc/passwd', { method: 'GET', headers: {}, body: undefined, redirect: 'manual' } as never)).rejects.toThrow(TypeError);
  });
});
