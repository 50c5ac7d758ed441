import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortvagt } from '../../src/portvagt.ts';
import { Browser } from '../helpers/browser.ts';
import { chooseMethod, errorCode, freePort, identities, linkedAccount, openAuthorize, rpAuthorizeUrl, rpExchange, startHarness, upstreamLogin, type Harness } from '../helpers/harness.ts';
import { startHoldingServer, type HoldingServer } from './holding-server.ts';

// Beside the four working mocks: `offline` (nothing listens at its issuer) and `slow` (accepts and never answers).
let h: Harness;
let slow: HoldingServer;

beforeAll(async () => {
  slow = await startHoldingServer();
  const offline = `http://127.0.0.1:${await freePort()}`;
  h = await startHarness({
    configure: (raw) => {
      raw.timeouts = { upstream_http_ms: 1000 };
      const broken = [['offline', offline], ['slow', slow.url]].map(([id, issuer]) => ({ id, display_name: id, dialect: 'oidc', issuer, client_id: 'portvagt', client_secret: 'unused-secret' }));
      (raw.upstreams as unknown[]).push(...broken);
      const client = (raw.clients as { login_methods: string[] }[])[0]!;
      client.login_methods.push('offline', 'slow');
    },
  });
});
afterAll(async () => {
  await h?.close();
  await slow?.close();
});

async function choose(method: string) {
  const browser = new Browser();
  return chooseMethod(browser, await openAuthorize(browser, await rpAuthorizeUrl(h)), method);
}

describe('an upstream that is down', () => {
  it('gives 501 for that login method while another method still logs in', async () => {
    const page = await choose('offline');
    expect(errorCode(page)).toBe(501);
    expect(page.status).toBe(502);

    const subject = identities.mitid[1]!.sub;
    const account = await linkedAccount(h, 'mitid', subject);
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h);
    const back = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'mitid'), subject);
    expect((await rpExchange(h, login, back.url)).claims()!.sub).toBe(account.id);
  });

  it('reports the upstreams that cannot be reached in /readyz and metrics, without taking the instance out', async () => {
    const response = await fetch(`${h.base}/readyz`);
    const body = (await response.json()) as { status: string; failing: string[]; checks: Record<string, { ok: boolean }> };
    expect(response.status).toBe(200);
    expect(body.status).toBe('ready');
    expect(body.failing).toEqual([]);
    expect(Object.entries(body.checks).filter(([, c]) => !c.ok).map(([name]) => name).sort()).toEqual(['upstream:offline', 'upstream:slow']);
    expect(body.checks['upstream:mitid']!.ok).toBe(true);
    expect(body.checks.database!.ok).toBe(true);
    const metrics = await (await fetch(`${h.base}/metrics`)).text();
    expect(metrics).toContain('portvagt_upstream_up{upstream="offline"} 0');
    expect(metrics).toContain('portvagt_upstream_up{upstream="mitid"} 1');
  });

  it('makes /readyz answer 503 naming exactly those upstreams with ops.readiness_requires_upstreams', async () => {
    const strict = await startPortvagt({ ...h.config, server: { ...h.config.server, port: 0 }, ops: { ...h.config.ops, readiness_requires_upstreams: true } }, { log: pino({ level: 'silent' }) });
    try {
      const response = await fetch(`${strict.url}/readyz`);
      expect(response.status).toBe(503);
      expect(((await response.json()) as { failing: string[] }).failing.sort()).toEqual(['upstream:offline', 'upstream:slow']);
    } finally {
      await strict.close();
    }
  });
});

describe('a slow upstream', () => {
  it('is cut off by timeouts.upstream_http_ms with 501 instead of holding the user', async () => {
    const page = await choose('slow');
    expect(errorCode(page)).toBe(501);
  });
});
