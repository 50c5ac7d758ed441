import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../helpers/browser.ts';
import { readyz as readyzOf, readyzUntil } from '../helpers/readyz.ts';
import { errorCode, openAuthorize, rpAuthorizeUrl, startHarness, type Harness } from '../helpers/harness.ts';
import { startHoldingServer, type HoldingServer } from './holding-server.ts';
import { loginThrough, POSTGRES_URL, REDIS_URL, sharedStores, type SharedStores } from './scale-kit.ts';
import { TcpProxy } from './tcp-proxy.ts';

// An upstream that accepts and never answers (`blackhole`), and Redis and PostgreSQL through proxies this file silences.
let stores: SharedStores;
let redis: TcpProxy;
let postgres: TcpProxy;
let blackhole: HoldingServer;
let h: Harness;

beforeAll(async () => {
  stores = await sharedStores();
  redis = await TcpProxy.start({ host: new URL(REDIS_URL).hostname, port: Number(new URL(REDIS_URL).port || 6379) });
  postgres = await TcpProxy.start({ host: new URL(POSTGRES_URL).hostname, port: Number(new URL(POSTGRES_URL).port || 5432) });
  blackhole = await startHoldingServer();
  h = await startHarness({
    configure: (raw) => {
      stores.apply(raw, { redis: (url) => redis.via(url), database: (url) => postgres.via(url) });
      Object.assign(raw.storage as Record<string, unknown>, { redis_timeout_ms: 500, database_timeout_ms: 500 });
      raw.timeouts = { upstream_http_ms: 1000 };
      (raw.upstreams as unknown[]).push({ id: 'blackhole', display_name: 'Black hole', dialect: 'oidc', issuer: blackhole.url, client_id: 'portvagt', client_secret: 'unused-secret' });
    },
  });
});
afterAll(async () => {
  await h?.close();
  await redis?.close();
  await postgres?.close();
  await blackhole?.close();
  await stores?.drop();
});

const readyz = () => readyzOf(h.base);

/** The median time of nine /readyz answers in milliseconds: robust to a busy machine's odd slow one. */
async function readyzMedianMs(): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 9; i++) {
    const start = performance.now();
    await readyz();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[4]!;
}

const loginWorks = () => loginThrough(h);

describe('readiness while an upstream is black-holed', () => {
  it('answers within 100 ms, ready, and reports the upstream that does not answer', async () => {
    expect(await readyzMedianMs()).toBeLessThan(100);
    const { status, body } = await readyz();
    expect(status).toBe(200);
    expect(body.checks['upstream:blackhole']).toEqual({ ok: false, error: 'TIMEOUT' });
    expect(body.checks['upstream:nemid']).toEqual({ ok: true });
  });
});

describe('a Redis that accepts connections but never answers', () => {
  it('makes the instance unready at once in /readyz (answered within 100 ms), and it recovers by itself when Redis answers again', async () => {
    redis.silence();
    try {
      const down = await readyzUntil(h.base, (r) => r.body.failing.includes('redis'));
      expect(down.status).toBe(503);
      expect(down.body.failing).toEqual(['redis']);
      expect(down.body.checks['upstream:blackhole']!.ok).toBe(false);
      expect(await readyzMedianMs()).toBeLessThan(100);
      // A page needing Redis answers with the outage page instead of hanging.
      const page = await openAuthorize(new Browser(), await rpAuthorizeUrl(h));
      expect(errorCode(page)).toBe(502);
    } finally {
      redis.restore();
    }
    // No connection reset by hand: the instance drops the silent connection and makes a new one.
    // The connections the silent server held are closed, and the pool makes new ones.
    await readyzUntil(h.base, (r) => r.status === 200);
    expect(await loginWorks()).toBe(true);
  });
});

describe('a PostgreSQL that accepts connections but never answers', () => {
  it('fails a request that needs it within the query time limit (502) instead of holding it, and the instance recovers by itself', async () => {
    await h.portvagt.accounts.list();
    postgres.silence();
    try {
      const started = performance.now();
      await expect(h.portvagt.accounts.list()).rejects.toThrow();
      expect(performance.now() - started).toBeLessThan(3000);
      await readyzUntil(h.base, (r) => r.body.failing.includes('database'));
    } finally {
      postgres.restore();
    }
    // The connections the silent server held are closed, and the pool makes new ones.
    await readyzUntil(h.base, (r) => r.status === 200);
    expect(await loginWorks()).toBe(true);
  });
});
