import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortvagt } from '../../src/portvagt.ts';
import { Browser } from '../helpers/browser.ts';
import { chooseMethod, errorCode, identities, linkedAccount, openAuthorize, rpAuthorizeUrl, rpExchange, startHarness, upstreamLogin, type Harness } from '../helpers/harness.ts';
import { readyzUntil } from '../helpers/readyz.ts';
import { loginThrough, POSTGRES_URL, REDIS_URL, sharedStores, type SharedStores } from './scale-kit.ts';
import { TcpProxy } from './tcp-proxy.ts';

// PostgreSQL and Redis reach the broker through proxies this file cuts and restores; the servers
// themselves keep running for the rest of the suite.
let stores: SharedStores;
let postgres: TcpProxy;
let redis: TcpProxy;
let h: Harness;

const portOf = (url: string, defaultPort: number) => ({ host: new URL(url).hostname, port: Number(new URL(url).port || defaultPort) });

beforeAll(async () => {
  stores = await sharedStores();
  postgres = await TcpProxy.start(portOf(POSTGRES_URL, 5432));
  redis = await TcpProxy.start(portOf(REDIS_URL, 6379));
  h = await startHarness({ configure: (raw) => stores.apply(raw, { database: (url) => postgres.via(url), redis: (url) => redis.via(url) }) });
});
afterAll(async () => {
  await h?.close();
  await postgres?.close();
  await redis?.close();
  await stores?.drop();
});

/** Polls until the broker is ready again: the stores reconnect on their own, on their own schedule. */
const untilReady = () => readyzUntil(h.base, (r) => r.status === 200);
/** Polls until readiness names `check` as failing: the background checks find an outage within a few seconds. */
const untilFailing = (check: string) => readyzUntil(h.base, (r) => r.body.failing.includes(check));

const loginWorks = () => loginThrough(h);

describe('the database going away', () => {
  it('gives a 502 page mid-login and 503 from /readyz naming it, and both recover without a restart', async () => {
    expect(await loginWorks()).toBe(true);
    const subject = identities.nemid[1]!.sub;
    const browser = new Browser();
    const mockPage = await chooseMethod(browser, await openAuthorize(browser, await rpAuthorizeUrl(h)), 'nemid');

    postgres.cut();
    try {
      const page = await upstreamLogin(browser, mockPage, subject);
      expect(errorCode(page)).toBe(502);
      expect(page.status).toBe(503);
      const down = await untilFailing('database');
      expect(down.status).toBe(503);
      expect(down.body.failing).toEqual(['database']);
      expect((await fetch(`${h.base}/healthz`)).status).toBe(200);
    } finally {
      postgres.restore();
    }
    await untilReady();
    expect(await loginWorks()).toBe(true);
  });
});

describe('the database down at the token exchange', () => {
  it('answers 503 temporarily_unavailable, logs it at error level with a reference, and keeps the code for a retry', async () => {
    const subject = identities.nemid[1]!.sub;
    const account = (await h.portvagt.accounts.findByIdentity(h.issuerOf('nemid'), subject)) ?? (await linkedAccount(h, 'nemid', subject));
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h);
    const back = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'nemid'), subject);
    const from = h.logLines.length;
    postgres.cut();
    try {
      // openid-client hands a 503 over as it came (an answer it cannot read as a token response).
      const refused = await rpExchange(h, login, back.url).then(() => undefined, (error: { cause?: Response }) => error.cause);
      expect(refused?.status).toBe(503);
      expect(refused?.headers.get('retry-after')).toBe('5');
      expect(await refused?.json()).toMatchObject({ error: 'temporarily_unavailable' });
      const logged = h.logLines.slice(from).map((l) => JSON.parse(l) as { level: number; msg: string; reference?: string; path?: string });
      expect(logged).toContainEqual(expect.objectContaining({ level: 50, msg: 'store unavailable at a machine endpoint', path: '/token', reference: expect.stringMatching(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/) }));
    } finally {
      postgres.restore();
    }
    await untilReady();
    expect((await rpExchange(h, login, back.url)).claims()!.sub).toBe(account.id);
  });
});

describe('the database down before the upstream step', () => {
  it('shows 502 when the user chooses a method, before the upstream login, not after it', async () => {
    const browser = new Browser();
    const chooser = await openAuthorize(browser, await rpAuthorizeUrl(h));
    postgres.cut();
    try {
      // The background check (or the second since the last check) finds the database down.
      expect((await untilFailing('database')).body.failing).toEqual(['database']);
      const page = await chooseMethod(browser, chooser, 'nemid');
      expect(page.url.startsWith(h.base)).toBe(true);
      expect(errorCode(page)).toBe(502);
    } finally {
      postgres.restore();
    }
    await untilReady();
    expect(await loginWorks()).toBe(true);
  });
});

describe('Redis going away', () => {
  it('gives a 502 page, 503 from /readyz naming Redis, keeps the process alive, and recovers', async () => {
    redis.cut();
    try {
      const page = await openAuthorize(new Browser(), await rpAuthorizeUrl(h));
      expect(errorCode(page)).toBe(502);
      expect(page.status).toBe(503);
      const down = await untilFailing('redis');
      expect(down.status).toBe(503);
      expect(down.body.failing).toEqual(['redis']);
      expect((await fetch(`${h.base}/healthz`)).status).toBe(200);
    } finally {
      redis.restore();
    }
    await untilReady();
    expect(await loginWorks()).toBe(true);
  });

  it('does not stop an instance from starting: it starts, answers 502 and reports itself not ready', async () => {
    redis.cut();
    try {
      const second = await startPortvagt({ ...h.config, server: { ...h.config.server, port: 0 } }, { log: pino({ level: 'silent' }) });
      try {
        expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
        const ready = await fetch(`${second.url}/readyz`);
        expect(ready.status).toBe(503);
        expect(((await ready.json()) as { failing: string[] }).failing).toEqual(['redis']);
        const authorize = new URL((await rpAuthorizeUrl(h)).url);
        const page = await new Browser().get(`${second.url}${authorize.pathname}${authorize.search}`);
        expect(errorCode(page)).toBe(502);
      } finally {
        await second.close();
      }
    } finally {
      redis.restore();
    }
  });
});
