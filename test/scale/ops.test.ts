import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/model.ts';
import { startPortvagt, type Portvagt } from '../../src/portvagt.ts';
import { Browser } from '../helpers/browser.ts';
import { chooseMethod, errorCode, identities, linkedAccount, openAuthorize, rpAuthorizeUrl, rpExchange, startHarness, toRp, upstreamLogin, type Harness } from '../helpers/harness.ts';

let h: Harness;
const extra: Portvagt[] = [];
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  for (const p of extra) await p.close();
  await h?.close();
});

/** Another instance on the harness's stores with a changed configuration. */
async function variant(change: (config: Config) => Config): Promise<Portvagt> {
  const started = await startPortvagt(change({ ...h.config, server: { ...h.config.server, port: 0 } }), { log: pino({ level: 'silent' }) });
  extra.push(started);
  return started;
}

const metricsText = async (base: string) => (await fetch(`${base}/metrics`)).text();
/** The value of one series in Prometheus text format, e.g. `portvagt_logins_total{action="login",…}`. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line ? Number(line.split(' ').at(-1)) : undefined;
}

describe('probes', () => {
  it('/healthz says the process is alive and /readyz lists every part it checked', async () => {
    expect(await (await fetch(`${h.base}/healthz`)).json()).toEqual({ status: 'alive' });
    const ready = await fetch(`${h.base}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; failing: string[]; checks: Record<string, { ok: boolean }> };
    expect(body.status).toBe('ready');
    expect(body.failing).toEqual([]);
    expect(Object.keys(body.checks)).toEqual(expect.arrayContaining(['database', 'upstream:mitid', 'upstream:mitid-erhverv', 'upstream:nemid', 'upstream:nordigo-2fa']));
    expect(Object.values(body.checks).every((c) => c.ok)).toBe(true);
  });
});

describe('metrics', () => {
  it('count logins by action and failures by route, client, method and code, and time flow routes and upstream calls', async () => {
    const subject = identities.mitid[1]!.sub;
    await linkedAccount(h, 'mitid', subject);
    const before = await metricsText(h.base);
    const logins = () => sample(before, 'portvagt_logins_total', { action: 'login', client: 'test-rp', method: 'mitid' }) ?? 0;
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h);
    await rpExchange(h, login, (await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'mitid'), subject)).url);
    const stranger = new Browser();
    const refused = await upstreamLogin(stranger, await chooseMethod(stranger, await openAuthorize(stranger, await rpAuthorizeUrl(h)), 'mitid'), identities.mitid[2]!.sub);
    expect(errorCode(refused)).toBe(6001);

    const after = await metricsText(h.base);
    expect(sample(after, 'portvagt_logins_total', { action: 'login', client: 'test-rp', method: 'mitid' })).toBe(logins() + 1);
    expect(sample(after, 'portvagt_failures_total', { route: 'callback', client: 'test-rp', method: 'mitid', code: '6001' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'portvagt_route_duration_seconds_count', { route: 'callback', result: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'portvagt_route_duration_seconds_count', { route: 'callback', result: 'failed' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'portvagt_upstream_request_duration_seconds_count', { upstream: 'mitid', outcome: '2xx' })).toBeGreaterThanOrEqual(2);
    expect(after).toContain('process_cpu_seconds_total');
  });

  it('need the bearer token when one is configured, and are gone when switched off', async () => {
    const token = 'metrics-token-0123456789';
    const guarded = await variant((c) => ({ ...c, ops: { ...c.ops, metrics_token: token } }));
    expect((await fetch(`${guarded.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const allowed = await fetch(`${guarded.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('portvagt_logins_total');

    const off = await variant((c) => ({ ...c, ops: { ...c.ops, metrics: false } }));
    const gone = await fetch(`${off.url}/metrics`);
    expect(gone.status).toBe(404);
    expect(await gone.text()).not.toContain('portvagt_logins_total');
  });
});

describe('request logs', () => {
  it('record each request of a first-time login without codes, states, cookies or the password', async () => {
    const account = await h.portvagt.accounts.create({ tenant: 'acme', username: 'logged.user', displayName: 'Logged User' });
    const { password } = await h.portvagt.invitations.issue(account.id);
    const secrets = new Set<string>([password]);
    const collect = (url: string) => {
      for (const key of ['code', 'state', 'nonce', 'code_challenge']) {
        const value = new URL(url).searchParams.get(key);
        if (value) secrets.add(value);
      }
      return toRp(url);
    };
    const from = h.logLines.length;
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h, { action: 'first-login' });
    collect(login.url);
    const chooser = await browser.get(login.url, { until: collect });
    const mock = await browser.submit(chooser, { form: (f) => f.action.endsWith('/method'), button: { name: 'method', value: 'nemid' }, until: collect });
    const form = await browser.submit(mock, { form: (f) => f.action.endsWith('/login'), fields: { identity: identities.nemid[2]!.sub }, until: collect });
    const back = await browser.submit(form, { form: (f) => f.action.endsWith('/first-login'), fields: { username: account.username, password }, until: collect });
    expect(back.stopped).toBe(true);
    await rpExchange(h, login, back.url);
    for (const cookie of browser.jar.cookiesFor(new URL(h.base))) secrets.add(cookie.value);

    const lines = h.logLines.slice(from);
    const paths = lines.map((l) => JSON.parse(l) as { msg: string; path?: string }).filter((l) => l.msg === 'request').map((l) => l.path);
    expect(paths).toEqual(expect.arrayContaining(['/auth', '/callback/nemid', '/token']));
    expect(secrets.size).toBeGreaterThan(5);
    for (const secret of secrets) expect(lines.filter((l) => l.includes(secret))).toEqual([]);
  });
});

describe('graceful shutdown', () => {
  it('finishes a request that is in flight, and takes no new connections', async () => {
    // A route beside the broker that answers when the test lets it: a request held in flight.
    let arrived!: () => void;
    let release!: () => void;
    const held = { arrived: new Promise<void>((resolve) => (arrived = resolve)), released: new Promise<void>((resolve) => (release = resolve)) };
    const slow = express.Router().get('/slow', async (_req, res) => {
      arrived();
      await held.released;
      res.json({ finished: true });
    });
    const instance = await startPortvagt({ ...h.config, server: { ...h.config.server, port: 0 } }, { log: pino({ level: 'silent' }), extraRoutes: () => [slow] });
    const inFlight = fetch(`${instance.url}/slow`);
    await held.arrived;
    const closing = instance.close();
    await expect(fetch(`${instance.url}/healthz`)).rejects.toThrow();
    release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ finished: true });
    await closing;
  });
});
