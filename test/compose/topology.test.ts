/**
 * The container deployment for real (`npm run test:compose`, see test/compose/run.sh): the Dockerfile
 * builds, docker-compose.yml comes up healthy under a project name of its own, and logins go through
 * its nginx to the two Portvagt containers, PostgreSQL, Redis and the mock upstreams.
 *
 * The compose file's public URL is http://portvagt.localhost:8080, which is also nginx's address inside
 * the network (the instances reach the mock upstreams there). The test publishes nginx on a free port
 * of 127.0.0.1 and uses it as a proxy, so the browser and the RP see the same URLs as everyone else.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as client from 'openid-client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { upstreamFetch } from '../../src/upstream/upstream-fetch.ts';
import { freePort, rpAuthorizeUrl, rpExchange } from '../helpers/harness.ts';
import { demoClient } from '../e2e/support/demo-broker.ts';
import { DEMO_ACTIONS, demoClaims, expectChooser, expectPortvagtPage, loginAtMock, startAtDemo, submitFirstLogin } from '../e2e/support/steps.ts';
import { VARIANTS, launchChromium, walk } from '../e2e/support/walk.ts';
import { engineFromEnvironment, until } from './support/engine.ts';
import { Topology, randomSecret, type Service } from './support/topology.ts';

const BASE = 'http://portvagt.localhost:8080';
const SYSTEM = demoClient(parseYaml(readFileSync('deploy/portvagt.yaml', 'utf8')) as Record<string, unknown>).display_name as string;
const INSTANCES = ['portvagt-a', 'portvagt-b'] as const satisfies readonly Service[];
const variant = VARIANTS[0]!;

const engine = engineFromEnvironment();
let topology: Topology;
let lbPort: number;
let browser: Browser;
let rp: client.Configuration;
let failed = false;

/** The instances' endpoints as Prometheus and the orchestrator see them: from inside the network. */
const PROBE_INSTANCES = `
const get = async (url, headers) => {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: await response.text() };
};
const result = {};
for (const host of ${JSON.stringify(INSTANCES)}) {
  result[host] = {
    readyz: await get('http://' + host + ':3000/readyz'),
    metrics: await get('http://' + host + ':3000/metrics', { authorization: 'Bearer ' + process.env.PORTVAGT_METRICS_TOKEN }),
  };
}
console.log(JSON.stringify(result));
`;

beforeAll(async () => {
  try {
    lbPort = await freePort();
    topology = new Topology(engine, lbPort);
    await timed('image build (runtime and devtools stages)', () => topology.build());
    await timed('compose up', () => topology.up());
    await timed('every service healthy', () => topology.healthy());
    await timed('the demo system reaches Portvagt', async () => void (await until('the demo system starts a login at Portvagt', 60_000, demoStartsLogin)));
    browser = await launchChromium({ proxy: { server: `http://127.0.0.1:${lbPort}`, bypass: '<-loopback>' } });
    rp = await client.discovery(new URL(BASE), 'demo', topology.secrets.PORTVAGT_CLIENT_SECRET_DEMO, undefined, {
      execute: [client.allowInsecureRequests],
      [client.customFetch]: throughLoadBalancer,
    });
    rp[client.customFetch] = throughLoadBalancer;
  } catch (error) {
    failed = true;
    throw error;
  }
}, 25 * 60_000);

afterEach(({ task }) => {
  if (task.result?.state === 'fail') failed = true;
});

afterAll(async () => {
  await browser?.close();
  if (!topology) return;
  if (failed) console.log(`== container logs of ${topology.project}\n${await topology.logs().catch((error: Error) => error.message)}`);
  await topology.down();
}, 3 * 60_000);

/** Runs a step of the setup and says how long it took (CI reports what this test costs). */
async function timed(step: string, action: () => Promise<void>): Promise<void> {
  const start = Date.now();
  await action();
  console.log(`${step}: ${((Date.now() - start) / 1000).toFixed(1)} s`);
}

/**
 * The RP's back channel (discovery, token, JWKS) to nginx's published port, with the public URL's Host
 * header (fetch cannot set one): Portvagt names its endpoints after the host it was asked on.
 */
/** Each instance's /readyz and /metrics answers, asked from inside the network. */
async function probeInstances(): Promise<Record<string, { readyz: { status: number; body: string }; metrics: { status: number; body: string } }>> {
  return JSON.parse(await topology.exec('devtools', ['node', '--input-type=module', '-e', PROBE_INSTANCES]));
}

const throughLoadBalancer: client.CustomFetch = (url, options) => {
  const target = new URL(url);
  if (target.origin !== BASE) return upstreamFetch(url, options);
  return upstreamFetch(`http://127.0.0.1:${lbPort}${target.pathname}${target.search}`, { ...options, headers: { ...options.headers, host: target.host }, signal: AbortSignal.timeout(10_000) });
};

/**
 * The demo system (in the devtools container) discovers Portvagt through nginx at its first login:
 * ready once its login button leads to the authorization endpoint, where a failed discovery leads back
 * to its own page with the reason.
 */
async function demoStartsLogin(): Promise<true | undefined> {
  const response = await throughLoadBalancer(`${BASE}/demo/start`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'action=login', redirect: 'manual' });
  return response.status === 303 && response.headers.get('location')?.startsWith(`${BASE}/auth`) ? true : undefined;
}

/**
 * The URL Portvagt sends the browser back to the RP with. The test's RP borrows the demo client and
 * its redirect URI; the demo system there, which started no login in this browser, leaves the code alone.
 */
async function rpCallback(page: Page): Promise<string> {
  return (await page.waitForRequest((request) => new URL(request.url()).pathname === '/demo/callback')).url();
}

/** The instance nginx sent the last request for `path` to, from its access log (one JSON line per request). */
async function instanceThatServed(path: string): Promise<Service> {
  const lines = (await topology.logs('lb')).split('\n').flatMap((line) => (line.includes('{') ? [line.slice(line.indexOf('{'))] : []));
  const entry = lines.map((line) => JSON.parse(line) as { path: string; upstream: string }).findLast((e) => e.path === path);
  if (!entry) throw new Error(`nginx logged no request for ${path}`);
  const address = entry.upstream.split(',').at(-1)!.trim().replace(/:\d+$/, '');
  for (const instance of INSTANCES) if ((await topology.address(instance)).split(' ').includes(address)) return instance;
  throw new Error(`no instance has the address ${address}`);
}

describe('the image', () => {
  /** The secrets config/example.yaml and deploy/portvagt.yaml take from the environment. */
  const SECRETS = ['PORTVAGT_COOKIE_KEYS', 'PORTVAGT_CPR_HMAC_KEY', 'PORTVAGT_METRICS_TOKEN', 'PORTVAGT_CLIENT_SECRET_IMS', 'PORTVAGT_CLIENT_SECRET_DEMO', 'PORTVAGT_UPSTREAM_SECRET_MITID', 'PORTVAGT_UPSTREAM_SECRET_MITID_ERHVERV', 'PORTVAGT_UPSTREAM_SECRET_NEMID', 'PORTVAGT_UPSTREAM_SECRET_NORDIGO_2FA'];
  const secretsEnv = () => SECRETS.flatMap((key) => ['-e', `${key}=${randomSecret()}`]);
  /** The image holds no configuration: an operator mounts one. */
  const configuration = (file: string) => ['-v', `${resolve(file)}:/app/config/portvagt.yaml:ro`, '-e', 'PORTVAGT_CONFIG=/app/config/portvagt.yaml'];

  it('holds no loader and no development tools, and refuses a test setup without the named opt-out', async () => {
    const present = await topology.container(['run', '--rm', topology.image, 'sh', '-c', 'for p in node_modules/tsx src/dev scripts config; do [ -e "$p" ] && echo "$p"; done; true']);
    expect(present.trim(), 'in /app').toBe('');
    // The compose demo's configuration: mock upstreams on plain http.
    await expect(topology.container(['run', '--rm', ...configuration('deploy/portvagt.yaml'), ...secretsEnv(), topology.image])).rejects.toThrow(/refusing to start in production: .*built-in mock.*not https/);
  });

  it('runs read-only as a non-root user, writes only its data directory and answers on its published port', async () => {
    const port = await freePort();
    const name = `${topology.project}-read-only`;
    const id = (await topology.container(['run', '-d', '--name', name, ...engine.readOnly, '-v', `${name}:/app/data`, '-p', `127.0.0.1:${port}:3000`, ...configuration('config/example.yaml'), ...secretsEnv(), topology.image])).trim();
    try {
      await until('/healthz on the published port', 60_000, async () => ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok ? true : undefined));
      // Discovery needs the signing key, which the first start creates in the database under /app/data.
      expect((await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`)).status).toBe(200);
      expect((await topology.container(['exec', id, 'id', '-u'])).trim()).not.toBe('0');
      await expect(topology.container(['exec', id, 'touch', '/tmp/probe'])).rejects.toThrow(/read-only file system/i);
      expect((await topology.container(['exec', id, 'ls', '/app/data'])).split('\n')).toContain('portvagt.db');
    } catch (error) {
      console.log(`== logs of the read-only container\n${await topology.container(['logs', id]).catch((e: Error) => e.message)}`);
      throw error;
    } finally {
      await topology.container(['rm', '-f', id]);
      await topology.container(['volume', 'rm', '-f', name]);
    }
  });
});

describe('the compose topology', () => {
  it('publishes nginx on 127.0.0.1 only, which keeps /metrics and the probes to itself', async () => {
    expect((await topology.compose(['port', 'lb', '8080'])).trim()).toBe(`127.0.0.1:${lbPort}`);
    const authorization = { authorization: `Bearer ${topology.secrets.PORTVAGT_METRICS_TOKEN}` };
    for (const path of ['/metrics', '/readyz', '/healthz']) expect((await fetch(`http://127.0.0.1:${lbPort}${path}`, { headers: authorization })).status, path).toBe(404);
  });

  it('logs a user in through nginx; the RP verifies the ID token', () =>
    walk(browser, 'compose-login', variant, async (w) => {
      const login = await rpAuthorizeUrl({ rp }, { redirect_uri: `${BASE}/demo/callback` });
      expect(login.url.startsWith(`${BASE}/`), 'the authorization endpoint is on the public URL').toBe(true);
      await w.page.goto(login.url);
      await expectChooser(w, 'ui.chooser.login', SYSTEM);
      await w.click('MitID');
      const callback = rpCallback(w.page);
      await loginAtMock(w, 'Mette Jensen');
      const claims = (await rpExchange({ rp }, login, await callback)).claims()!;
      expect(claims).toMatchObject({ iss: BASE, aud: 'demo', preferred_username: 'mette.jensen', amr: ['mitid', 'code_app'] });
    }));

  it('logs a new user in the first time with the one-time password the demo seed printed', () =>
    walk(browser, 'compose-first-login', variant, async (w) => {
      const [, username, password] = /username "([^"]+)", one-time password "([^"]+)"/.exec(await topology.logs('devtools')) ?? [];
      expect(password, 'the demo seed prints the invitation on the first start').toBeDefined();
      await startAtDemo(w, BASE, DEMO_ACTIONS.firstLogin);
      await expectChooser(w, 'ui.chooser.firstLogin', SYSTEM);
      await w.click('NemID');
      await loginAtMock(w, 'Anna Hansen');
      await expectPortvagtPage(w, w.t('ui.firstLogin.title'), SYSTEM);
      await submitFirstLogin(w, username!, password!);
      expect(await demoClaims(w)).toMatchObject({ preferred_username: username, amr: ['nemid'] });
    }));

  it('reports each instance ready on the internal network, where /metrics counts the logins', async () => {
    const result = await probeInstances();
    for (const instance of INSTANCES) {
      expect(result[instance]!.readyz.status, instance).toBe(200);
      expect(JSON.parse(result[instance]!.readyz.body)).toMatchObject({ status: 'ready', failing: [] });
      expect(result[instance]!.metrics.status, instance).toBe(200);
    }
    const logins = INSTANCES.map((i) => result[i]!.metrics.body).join('\n').match(/^portvagt_logins_total\{[^}]*\} \d+/gm) ?? [];
    expect(logins.length, 'login counters on the instances').toBeGreaterThan(0);
  });

  it('keeps a login in progress across a Redis restart (append-only file)', () =>
    walk(browser, 'compose-redis-restart', variant, async (w) => {
      await startAtDemo(w, BASE, DEMO_ACTIONS.login);
      await w.click('MitID');
      await topology.compose(['restart', '-t', '10', 'redis']);
      await topology.healthy(['redis'], 60_000);
      // Each instance reconnects on its own schedule, and until then answers 502 and /readyz 503 (a
      // load balancer with health checks holds users back meanwhile): the user returns once both have.
      await until('both instances ready again after the Redis restart', 60_000, async () => (Object.values(await probeInstances()).every((i) => i.readyz.status === 200) ? true : undefined));
      await loginAtMock(w, 'Mette Jensen');
      expect(await demoClaims(w)).toMatchObject({ preferred_username: 'mette.jensen', amr: ['mitid', 'code_app'] });
    }));

  it('finishes a login on the other instance after the one that started it is killed', () =>
    walk(browser, 'compose-failover', variant, async (w) => {
      await startAtDemo(w, BASE, DEMO_ACTIONS.login);
      await w.click('MitID');
      const started = await instanceThatServed(new URL(rp.serverMetadata().authorization_endpoint!).pathname);
      await topology.compose(['kill', started]);
      await loginAtMock(w, 'Mette Jensen');
      expect(await demoClaims(w)).toMatchObject({ preferred_username: 'mette.jensen', amr: ['mitid', 'code_app'] });
      expect(await topology.health(started)).toMatch(/^exited/);
    }));
});
