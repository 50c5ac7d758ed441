import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/load.ts';
import { Browser } from '../helpers/browser.ts';
import { identities, useHarness } from '../helpers/harness.ts';
import { afterUpstreamLogin, expectRefused, submitForm } from './helpers/attack.ts';

// The broker trusts only a proxy on 10.0.0.0/8; the test client connects from 127.0.0.1.
const h = useHarness({ configure: (raw) => void ((raw.server as Record<string, unknown>).trust_proxy = '10.0.0.0/8') });

const SPOOFED = '203.0.113.7';

function trustProxyProblem(value: unknown): string | undefined {
  const raw = {
    server: { trust_proxy: value },
    secrets: { cookie_keys: ['k'.repeat(32)], cpr_hmac_key: 'c'.repeat(32) },
    tenants: [{ id: 'acme', name: 'Acme' }],
    clients: [{ client_id: 'rp', client_secret: 's'.repeat(16), display_name: 'RP', redirect_uris: ['https://rp.example/cb'], tenants: ['acme'], login_methods: ['mitid'] }],
    upstreams: [{ id: 'mitid', display_name: 'MitID', dialect: 'mitid', issuer: 'https://mitid.example', client_id: 'c', client_secret: 's' }],
  };
  try {
    parseConfig(raw);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
}

describe('proxy trust', () => {
  it('refuses trust_proxy: true at start, and anything but a hop count or addresses/subnets', () => {
    expect(trustProxyProblem(true)).toMatch(/server\.trust_proxy: true would trust any client's X-Forwarded-For; give the hop count/);
    expect(trustProxyProblem('true')).toMatch(/server\.trust_proxy: true would trust/);
    expect(trustProxyProblem('everyone')).toMatch(/server\.trust_proxy: false, a hop count/);
    expect(trustProxyProblem('10.0.0.0/33')).toMatch(/server\.trust_proxy: false, a hop count/);
    expect(trustProxyProblem(-1)).toMatch(/server\.trust_proxy: false, a hop count/);
    for (const accepted of [false, 0, 1, 2, 'loopback', 'loopback, uniquelocal', '10.0.0.0/8, 192.168.1.10', 'fd00::/8', '10.0.0.0/255.0.0.0']) expect(trustProxyProblem(accepted)).toBeUndefined();
  });

  it('a spoofed X-Forwarded-For from an untrusted peer changes neither the rate-limit address nor the logged one', async () => {
    const browser = new Browser({ 'x-forwarded-for': SPOOFED, 'x-forwarded-proto': 'https' });
    const { page } = await afterUpstreamLogin(h, browser, 'first-login', 'nemid', identities.nemid[0]!.sub);
    for (let i = 0; i < 3; i++) expectRefused(await submitForm(browser, page, '/first-login', { username: `proxy.spoof-${i}`, password: 'guess' }), 5007);

    // The per-address counter of the real peer holds the three tries; the spoofed address has none.
    expect(await h.portvagt.store.increment('rl:first-login:ip:127.0.0.1', 600)).toBe(4);
    expect(await h.portvagt.store.increment(`rl:first-login:ip:${SPOOFED}`, 600)).toBe(1);
    const requests = h.logLines.map((l) => JSON.parse(l) as { msg: string; ip?: string }).filter((l) => l.msg === 'request');
    expect(requests.length).toBeGreaterThan(5);
    expect(new Set(requests.map((r) => r.ip))).toEqual(new Set(['127.0.0.1']));
  });
});
