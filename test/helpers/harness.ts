import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll } from 'vitest';
import { pino } from 'pino';
import { parseConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/model.ts';
import { DEMO_SUBJECTS, MOCK_IDENTITIES, type UpstreamKind } from '../../src/dev/mock-identities.ts';
import { startMockUpstream, type RunningMockUpstream } from '../../src/dev/mock-upstream.ts';
import { startPortvagt, type Portvagt } from '../../src/portvagt.ts';
import type { StoreObserver } from '../../src/store/store-observer.ts';
import { getDialect } from '../../src/upstream/dialects/index.ts';
import { dropIsolatedDatabase, isolatedDatabaseUrl } from '../../support/databases.ts';
import { freePort } from '../../support/ports.ts';
import { Browser, type Page } from './browser.ts';

// Shared with the benchmark (support/); tests take them from here with the rest of the harness.
export { dropIsolatedDatabase, freePort, isolatedDatabaseUrl };

export const RP_REDIRECT = 'https://rp.example/cb';
export const RP_SECRET = 'test-rp-secret-0123456789';

/** The four upstreams of the design: id, mock kind and dialect. */
export const UPSTREAMS = [
  { id: 'mitid', kind: 'mitid', dialect: 'mitid', name: 'MitID' },
  { id: 'mitid-erhverv', kind: 'mitid-erhverv', dialect: 'mitid', name: 'MitID Erhverv' },
  { id: 'nemid', kind: 'nemid', dialect: 'nemid', name: 'NemID' },
  { id: 'nordigo-2fa', kind: '2fa', dialect: 'hid', name: 'Nordigo 2FA' },
] as const;

export interface Harness {
  portvagt: Portvagt;
  config: Config;
  base: string;
  mocks: Map<string, RunningMockUpstream>;
  rp: client.Configuration;
  logLines: string[];
  /** The flows' clock: real time plus however far the test has moved it. */
  clock: TestClock;
  issuerOf(method: string): string;
  /** Stops the broker only; the mocks keep running for a restart. */
  stopBroker(): Promise<void>;
  /** Stops the broker and the mock upstreams. */
  close(): Promise<void>;
}

/** A clock a test can move forward, so step deadlines pass without sleeping. */
export interface TestClock {
  (): number;
  advance(ms: number): void;
}

export function testClock(): TestClock {
  let offset = 0;
  return Object.assign(() => Date.now() + offset, { advance: (ms: number) => void (offset += ms) });
}

export interface HarnessOptions {
  /** Changes to the broker's configuration before it starts. */
  configure?: (raw: Record<string, unknown>) => void;
  /** Start a new broker process on the stores, port and mocks of a stopped one (restart tests). */
  restartOf?: Harness;
  /** A port chosen beforehand, for extra mocks that must know the broker's callback URLs. */
  port?: number;
  /** Told of every store operation before it runs; a throw fails it (fault tests). */
  observeStores?: StoreObserver;
  /** The delays of the back-channel logout retries (production's take 42 s). */
  backchannelRetriesMs?: readonly number[];
}

/**
 * One broker for a test file: started before its tests, closed after them. The returned object
 * stands for the running harness once `beforeAll` has run.
 */
export function useHarness(options: HarnessOptions = {}): Harness {
  let running: Harness | undefined;
  beforeAll(async () => {
    running = await startHarness(options);
  });
  afterAll(async () => {
    await running?.close();
  });
  return new Proxy({} as Harness, {
    get(_target, key) {
      if (!running) throw new Error('the harness is used before beforeAll started it');
      return Reflect.get(running, key);
    },
  });
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const previous = options.restartOf;
  const port = previous?.config.server.port ?? options.port ?? (await freePort());
  const base = `http://127.0.0.1:${port}`;
  const mocks = previous?.mocks ?? new Map<string, RunningMockUpstream>();
  if (!previous) {
    for (const u of UPSTREAMS) {
      mocks.set(
        u.id,
        await startMockUpstream({
          name: u.id,
          kind: u.kind as UpstreamKind,
          dialect: getDialect(u.dialect),
          clients: [{ client_id: 'portvagt', client_secret: `mock-${u.id}-secret`, redirect_uris: [`${base}/callback/${u.id}`] }],
        }),
      );
    }
  }
  const raw: Record<string, unknown> = {
    server: { port, base_url: base },
    secrets: { cookie_keys: ['test-cookie-key-0123456789-0123456789'], cpr_hmac_key: 'test-cpr-key-0123456789-0123456789' },
    storage: previous?.config.storage ?? {
      data_dir: mkdtempSync(join(tmpdir(), 'portvagt-test-')),
      database_url: await isolatedDatabaseUrl(),
      redis_url: process.env.REDIS_URL,
      // Each broker of the suite has its own keys, so rate limits and flows never leak between files or runs.
      redis_prefix: `portvagt-test:${port}:${Date.now().toString(36)}:`,
    },
    tenants: [
      { id: 'acme', name: 'Acme A/S' },
      { id: 'beta', name: 'Beta ApS' },
    ],
    clients: [
      {
        client_id: 'test-rp',
        client_secret: RP_SECRET,
        display_name: 'Test System',
        redirect_uris: [RP_REDIRECT],
        post_logout_redirect_uris: [RP_REDIRECT],
        tenants: ['acme'],
        login_methods: UPSTREAMS.map((u) => u.id),
      },
      {
        client_id: 'multi-rp',
        client_secret: RP_SECRET,
        display_name: 'Multi System',
        redirect_uris: [RP_REDIRECT],
        tenants: ['acme', 'beta'],
        login_methods: ['mitid'],
      },
      {
        client_id: 'disabled-rp',
        client_secret: RP_SECRET,
        display_name: 'Old System',
        redirect_uris: [RP_REDIRECT],
        tenants: ['acme'],
        login_methods: ['mitid'],
        enabled: false,
      },
    ],
    upstreams: UPSTREAMS.map((u) => ({
      id: u.id,
      display_name: u.name,
      dialect: u.dialect,
      issuer: mocks.get(u.id)!.issuer,
      client_id: 'portvagt',
      client_secret: `mock-${u.id}-secret`,
      provides_cpr: u.kind === 'mitid' || u.kind === 'mitid-erhverv',
    })),
  };
  options.configure?.(raw);
  const config = parseConfig(raw);
  const logLines: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  const clock = previous?.clock ?? testClock();
  const portvagt = await startPortvagt(config, { log, clock, observeStores: options.observeStores, backchannelRetriesMs: options.backchannelRetriesMs });
  const rp = await client.discovery(new URL(base), 'test-rp', RP_SECRET, undefined, { execute: [client.allowInsecureRequests] });
  return {
    portvagt,
    config,
    base,
    mocks,
    rp,
    logLines,
    clock,
    issuerOf: (method) => mocks.get(method)!.issuer,
    async stopBroker() {
      await portvagt.close();
      // Let this process's HTTP clients see their pooled connections close before the port is reused.
      await new Promise((resolve) => setTimeout(resolve, 100));
    },
    async close() {
      await portvagt.close().catch(() => undefined);
      // A restarted broker shares the mocks and the database of the one it replaced, which closes them.
      if (previous) return;
      for (const mock of mocks.values()) await mock.close();
      await dropIsolatedDatabase(config.storage.database_url);
    },
  };
}

/** What the RP keeps between its authorize redirect and its callback. */
export interface RpLogin {
  url: string;
  state: string;
  nonce: string;
  verifier: string;
}

/** The RP's authorization request: its parameters and what it keeps for the callback. */
async function rpRequest(params: Record<string, string>) {
  const state = client.randomState();
  const nonce = client.randomNonce();
  const verifier = client.randomPKCECodeVerifier();
  const request = {
    redirect_uri: RP_REDIRECT,
    scope: 'openid profile email',
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...params,
  };
  return { request, state, nonce, verifier };
}

/** An authorize URL of the harness's RP (or of any `{ rp }`, e.g. one of a deployed topology). */
export async function rpAuthorizeUrl(h: Pick<Harness, 'rp'>, params: Record<string, string> = {}, rp = h.rp): Promise<RpLogin> {
  const { request, ...kept } = await rpRequest(params);
  return { url: client.buildAuthorizationUrl(rp, request).href, ...kept };
}

/** The same request pushed to `/request` (PAR, RFC 9126): the authorize URL carries only its request_uri. */
export async function rpPushedAuthorizeUrl(h: Pick<Harness, 'rp'>, params: Record<string, string> = {}, rp = h.rp): Promise<RpLogin> {
  const { request, ...kept } = await rpRequest(params);
  return { url: (await client.buildAuthorizationUrlWithPAR(rp, request)).href, ...kept };
}

/** Stops a browser walk at the RP's redirect URI (which does not exist). */
export const toRp = (url: string) => url.startsWith(RP_REDIRECT);

/** Opens the RP's authorize URL: the page Portvagt shows (chooser or error), or the RP redirect. */
export function openAuthorize(browser: Browser, login: RpLogin): Promise<Page> {
  return browser.get(login.url, { until: toRp });
}

/** Clicks a login method on the chooser, landing on the mock upstream's page. */
export function chooseMethod(browser: Browser, chooser: Page, method: string): Promise<Page> {
  return browser.submit(chooser, { form: (f) => f.action.endsWith('/method'), button: { name: 'method', value: method }, until: toRp });
}

/** On the mock upstream's page, logs in as a test identity and follows back through Portvagt. */
export function upstreamLogin(browser: Browser, mockPage: Page, subject: string): Promise<Page> {
  return browser.submit(mockPage, { form: (f) => f.action.endsWith('/login'), fields: { identity: subject }, until: toRp });
}

/** On the mock upstream's page, fails with a reason and follows back through Portvagt. */
export function upstreamFail(browser: Browser, mockPage: Page, reason: string, description = ''): Promise<Page> {
  return browser.submit(mockPage, { form: (f) => f.action.endsWith('/fail'), fields: { reason, error_description: description }, until: toRp });
}

/** The RP's half: exchanges the code at the token endpoint and verifies the ID token. */
export async function rpExchange(h: Pick<Harness, 'rp'>, login: RpLogin, callbackUrl: string, rp = h.rp) {
  return client.authorizationCodeGrant(rp, new URL(callbackUrl), {
    pkceCodeVerifier: login.verifier,
    expectedState: login.state,
    expectedNonce: login.nonce,
  });
}

/** The error code on a Portvagt page (`data-error-code` on main). */
export function errorCode(page: Page): number | undefined {
  const match = /<main[^>]*data-error-code="(\d+)"/.exec(page.body);
  return match ? Number(match[1]) : undefined;
}

export const demoSubject = (kind: UpstreamKind) => DEMO_SUBJECTS[kind];
export const identities = MOCK_IDENTITIES;

/** Creates an account in a tenant linked to a mock identity of a method. */
export async function linkedAccount(h: Harness, method: string, subject: string, tenant = 'acme', username = `user-${Math.random().toString(36).slice(2, 10)}`) {
  const account = await h.portvagt.accounts.create({ tenant, username, displayName: username });
  const outcome = await h.portvagt.accounts.link(account.id, { method, issuer: h.issuerOf(method), subject });
  if (outcome !== 'linked') throw new Error(`test setup: ${subject} not linked (${outcome})`);
  return account;
}

/**
 * Adds "CPR System" (client `cpr-rp`, every upstream) serving tenant `beta`, which then requires a CPR
 * match; `extra` changes the client's settings (e.g. `min_assurance`).
 */
export function addCprSystem(raw: Record<string, unknown>, extra: Record<string, unknown> = {}): void {
  (raw.tenants as Record<string, unknown>[])[1]!.require_cpr_match = true;
  (raw.clients as Record<string, unknown>[]).push({
    client_id: 'cpr-rp',
    client_secret: RP_SECRET,
    display_name: 'CPR System',
    redirect_uris: [RP_REDIRECT],
    tenants: ['beta'],
    login_methods: UPSTREAMS.map((u) => u.id),
    ...extra,
  });
}

/** The relying party's view of another client of the harness (discovery with its own credentials). */
export function rpOf(h: Pick<Harness, 'base'>, clientId: string, secret = RP_SECRET): Promise<client.Configuration> {
  return client.discovery(new URL(h.base), clientId, secret, undefined, { execute: [client.allowInsecureRequests] });
}

/**
 * A system authenticating with `private_key_jwt`, with a key pair of `alg` made for the test: the
 * client settings to lay over another client's entry, and the private key its RP signs with.
 */
export async function privateKeyJwtClient(clientId: string, alg: 'RS256' | 'ES256') {
  const pair = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: `${clientId}-key`, alg, use: 'sig' };
  return { settings: { client_id: clientId, client_secret: undefined, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [publicJwk] } }, privateKey: pair.privateKey };
}
