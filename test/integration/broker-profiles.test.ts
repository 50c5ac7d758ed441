/**
 * Logins through mock brokers shaped like the real ones (Signaturgruppen, Idura, Signicat, IN Groupe):
 * each profile's claim names, level and cancel, and each client authentication method at the token
 * endpoint, end to end through Portvagt and through the connector contract itself.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nsisUri } from '../../src/assurance.ts';
import { parseClientKey } from '../../src/crypto/client-key.ts';
import { startMockUpstream, type RunningMockUpstream } from '../../src/dev/mock-upstream.ts';
import type { UpstreamKind } from '../../src/dev/mock-identities.ts';
import { BrokerError } from '../../src/errors/broker-error.ts';
import { translate } from '../../src/i18n/i18n.ts';
import type { Connector } from '../../src/upstream/connector.ts';
import { DIALECTS, getDialect } from '../../src/upstream/dialects/index.ts';
import { resolveProfile, type ProfileName, type ProfileOverrides } from '../../src/upstream/profiles/index.ts';
import { createConnectors } from '../../src/upstream/registry.ts';
import { Browser } from '../helpers/browser.ts';
import {
  chooseMethod,
  errorCode,
  freePort,
  identities,
  openAuthorize,
  RP_REDIRECT,
  RP_SECRET,
  rpAuthorizeUrl,
  rpExchange,
  toRp,
  upstreamFail,
  upstreamLogin,
  useHarness,
} from '../helpers/harness.ts';

type AuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';

interface Case {
  profile: ProfileName;
  auth: AuthMethod;
  /** Per-key overrides of the MitID Erhverv upstream (Signicat documents no CVR claim). */
  erhverv?: Partial<ProfileOverrides>;
}

const CASES: Case[] = [
  { profile: 'signaturgruppen', auth: 'client_secret_basic' },
  { profile: 'idura', auth: 'client_secret_post' },
  { profile: 'signicat', auth: 'private_key_jwt', erhverv: { claims: { cvr: 'signicat.cvr' } } },
  { profile: 'ingroupe', auth: 'private_key_jwt' },
];

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const keyFile = join(mkdtempSync(join(tmpdir(), 'portvagt-keys-')), 'upstream-key.pem');
writeFileSync(keyFile, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }));
const publicJwk = parseClientKey(readFileSync(keyFile, 'utf8')).publicJwk;

interface TestUpstream {
  id: string;
  kind: UpstreamKind;
  case: Case;
  /** Overrides both the mock and Portvagt's configuration know. */
  overrides: Partial<ProfileOverrides>;
  /** Overrides only Portvagt's configuration has: a claim name the mock never sends. */
  misconfigured?: Partial<ProfileOverrides>;
}

/** Every upstream of the file: a private MitID and a MitID Erhverv per profile, plus one configured with a wrong CPR claim name. */
const upstreams: TestUpstream[] = [
  ...CASES.flatMap((c): TestUpstream[] => [
    { id: c.profile, kind: 'mitid', case: c, overrides: {} },
    { id: `${c.profile}-erhverv`, kind: 'mitid-erhverv', case: c, overrides: c.erhverv ?? {} },
  ]),
  { id: 'misnamed', kind: 'mitid', case: CASES[0]!, overrides: {}, misconfigured: { claims: { cpr: 'dk.cpr.wrong' } } },
];

const mocks = new Map<string, RunningMockUpstream>();
const secretOf = (id: string) => `mock-${id}-secret`;

beforeAll(async () => {
  for (const u of upstreams) {
    const profile = resolveProfile({ profile: u.case.profile, ...u.overrides });
    mocks.set(
      u.id,
      await startMockUpstream({
        name: u.id,
        kind: u.kind,
        dialect: getDialect(profile.dialect),
        profile,
        clients: [
          {
            client_id: 'portvagt',
            token_endpoint_auth_method: u.case.auth,
            ...(u.case.auth === 'private_key_jwt' ? { jwks: { keys: [publicJwk] } } : { client_secret: secretOf(u.id) }),
            redirect_uris: [`${base}/callback/${u.id}`],
          },
        ],
      }),
    );
  }
});

afterAll(async () => {
  for (const mock of mocks.values()) await mock.close();
});

const h = useHarness({
  port,
  configure: (raw) => {
    (raw.tenants as Record<string, unknown>[])[1]!.require_cpr_match = true;
    (raw.upstreams as unknown[]).push(
      ...upstreams.map((u) => ({
        id: u.id,
        display_name: u.id,
        profile: u.case.profile,
        issuer: mocks.get(u.id)!.issuer,
        client_id: 'portvagt',
        token_endpoint_auth_method: u.case.auth,
        ...(u.case.auth === 'private_key_jwt' ? { private_key_file: keyFile } : { client_secret: secretOf(u.id) }),
        ...u.overrides,
        ...u.misconfigured,
      })),
    );
    (raw.clients as unknown[]).push({
      client_id: 'profile-rp',
      client_secret: RP_SECRET,
      display_name: 'Profile System',
      redirect_uris: [RP_REDIRECT],
      tenants: ['acme', 'beta'],
      login_methods: upstreams.map((u) => u.id),
      min_assurance: 'substantial',
    });
  },
});

const mitid = identities.mitid;
const erhverv = identities['mitid-erhverv'];
const peter = mitid[3]!; // level Low

function rp() {
  return oidc.discovery(new URL(h.base), 'profile-rp', RP_SECRET, undefined, { execute: [oidc.allowInsecureRequests] });
}

/** Logs in at an upstream through Portvagt; `atUpstream` is the authorization request Portvagt sent. */
async function loginThrough(upstream: string, subject: string, params: Record<string, string> = {}) {
  const client = await rp();
  const browser = new Browser();
  const login = await rpAuthorizeUrl(h, { tenant: 'acme', ...params }, client);
  const chooser = await openAuthorize(browser, login);
  const issuer = mocks.get(upstream)!.issuer;
  const atUpstream = await browser.submit(chooser, {
    form: (f) => f.action.endsWith('/method'),
    button: { name: 'method', value: upstream },
    until: (url) => url.startsWith(issuer),
  });
  const mockPage = await browser.get(atUpstream.url, { follow: true });
  const page = await upstreamLogin(browser, mockPage, subject);
  return { browser, login, page, client, authorization: new URL(atUpstream.url) };
}

/** An account in a tenant linked to a mock identity at one of this file's upstreams. */
async function linkedAccount(upstream: string, subject: string, tenant = 'acme') {
  const account = await h.portvagt.accounts.create({ tenant, username: `user-${Math.random().toString(36).slice(2, 10)}`, displayName: 'Test' });
  expect(await h.portvagt.accounts.link(account.id, { method: upstream, issuer: mocks.get(upstream)!.issuer, subject })).toBe('linked');
  return account;
}

const connectors = () => createConnectors(h.config.methods.values(), h.config.timeouts.upstream_http_ms, pino({ level: 'silent' }));

/** Runs the connector contract by hand: begin, the mock's page, and the callback Portvagt would get. */
async function connectorCallback(connector: Connector, act: (browser: Browser, page: Awaited<ReturnType<Browser['get']>>) => Promise<{ url: string }>) {
  const { url, pending } = await connector.begin({ state: 'flow.random.mac', minLevel: 'substantial', locale: 'da' });
  const browser = new Browser();
  const page = await browser.get(url, { follow: true });
  const callback = await act(browser, page);
  return { query: new URL(callback.url).searchParams, pending };
}

const atCallback = (url: string) => url.startsWith(`${base}/callback/`);

describe.each(CASES)('the $profile profile ($auth)', ({ profile, auth }) => {
  it('logs in, asks for the level in its own words and hands the RP the NSIS level and the authenticator', async () => {
    const lars = mitid[1]!;
    const account = await linkedAccount(profile, lars.sub);
    const { login, page, client, authorization } = await loginThrough(profile, lars.sub, { ui_locales: 'en', login_hint: 'a-hint' });
    const request = resolveProfile({ profile }).level.request!;
    expect(authorization.searchParams.get(request.parameter)).toBe(request.values.substantial);
    expect(authorization.searchParams.get('ui_locales')).toBe('en');
    expect(authorization.searchParams.get('login_hint')).toBe('a-hint');
    expect(page.stopped).toBe(true);
    const claims = (await rpExchange(h, login, page.url, client)).claims()!;
    expect(claims.sub).toBe(account.id);
    expect(claims.acr).toBe(nsisUri('high'));
    expect(claims.amr).toEqual([profile, 'code_app']);
  });

  it('refuses a login below the client\'s level with 5502 and says which level the system requires', async () => {
    await linkedAccount(profile, peter.sub);
    const { page } = await loginThrough(profile, peter.sub, { ui_locales: 'en' });
    expect(errorCode(page)).toBe(5502);
    expect(page.body).toContain(`Profile System requires ${profile} at level Substantial. You logged in at level Low.`);
  });

  it('feeds the CPR match from its own CPR claim', async () => {
    const mette = mitid[0]!;
    const account = await linkedAccount(profile, mette.sub, 'beta');
    const { browser, login, page, client } = await loginThrough(profile, mette.sub, { tenant: 'beta' });
    expect(page.body).toContain('name="cpr"');
    const back = await browser.submit(page, { form: (f) => f.action.endsWith('/cpr'), fields: { cpr: mette.claims.cpr! }, until: toRp });
    expect((await rpExchange(h, login, back.url, client)).claims()!.sub).toBe(account.id);
  });

  it(`delivers MitID Erhverv's company (CVR), RID and level through the connector, authenticating with ${auth}`, async () => {
    const connector = connectors().get(`${profile}-erhverv`)!;
    const lars = erhverv[1]!;
    const { query, pending } = await connectorCallback(connector, (browser, page) =>
      browser.submit(page, { form: (f) => f.action.endsWith('/login'), fields: { identity: lars.sub }, until: atCallback }),
    );
    const identity = await connector.complete(query, pending);
    expect(identity).toMatchObject({ subject: lars.sub, cvr: '12345678', level: 'high', name: 'Lars Nielsen' });
    if (profile !== 'signicat') expect(identity.rid).toBe(lars.claims.rid);
  });

  it('turns its cancel into the dialect row marked as a cancel, with or without iss as its discovery says', async () => {
    const connector = connectors().get(profile)!;
    const mock = mocks.get(profile)!;
    const discovery = (await (await fetch(`${mock.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    const cancelReason = Object.entries(DIALECTS.mitid.rows).find(([, row]) => row.cancel)![0];
    const { query, pending } = await connectorCallback(connector, (browser, page) =>
      browser.submit(page, { form: (f) => f.action.endsWith('/fail'), fields: { reason: profile === 'signaturgruppen' ? 'mitid_user_aborted' : cancelReason }, until: atCallback }),
    );
    const advertised = discovery.authorization_response_iss_parameter_supported === true;
    expect(advertised).toBe(profile !== 'signaturgruppen');
    expect(query.has('iss')).toBe(advertised);
    const failure = await connector.complete(query, pending).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BrokerError);
    const row = DIALECTS.mitid.rows[(failure as BrokerError).upstream!.reason!];
    expect(row?.cancel).toBe(true);
  });
});

describe('client authentication and needed claims', () => {
  it('a broker that requires one way of sending the secret refuses the other (3004)', async () => {
    const idura = h.config.methods.get('idura')!;
    const basic = { ...idura, auth: { method: 'client_secret_basic' as const, secret: 'secret' in idura.auth ? idura.auth.secret : '' } };
    const connector = createConnectors([basic], h.config.timeouts.upstream_http_ms, pino({ level: 'silent' })).get('idura')!;
    const { query, pending } = await connectorCallback(connector, (browser, page) =>
      browser.submit(page, { form: (f) => f.action.endsWith('/login'), fields: { identity: mitid[1]!.sub }, until: atCallback }),
    );
    const failure = await connector.complete(query, pending).catch((error: unknown) => error);
    expect((failure as BrokerError).code).toBe(3004);
  });

  it('a CPR claim name the login never delivers ends in 3005 and an error log naming upstream and claim', async () => {
    const mette = mitid[0]!;
    await linkedAccount('misnamed', mette.sub, 'beta');
    const linesBefore = h.logLines.length;
    const { page } = await loginThrough('misnamed', mette.sub, { tenant: 'beta' });
    expect(errorCode(page)).toBe(3005);
    const logged = h.logLines.slice(linesBefore).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged).toContainEqual(expect.objectContaining({ level: 50, upstream: 'misnamed', claimNames: 'dk.cpr.wrong' }));
  });

  it('a cancel at the Signaturgruppen-shaped broker comes back without iss and is taken as the user\'s cancel: the chooser with its notice, the flow alive', async () => {
    const anna = mitid[2]!;
    const account = await linkedAccount('signaturgruppen', anna.sub);
    const client = await rp();
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h, { tenant: 'acme', ui_locales: 'en' }, client);
    const mockPage = await chooseMethod(browser, await openAuthorize(browser, login), 'signaturgruppen');
    const chooser = await upstreamFail(browser, mockPage, 'mitid_user_aborted');
    // Never a mix-up refusal (3003), an invalid response (3005) or the cancel row's error page (5500).
    expect(errorCode(chooser)).toBeUndefined();
    expect(new URL(chooser.url).pathname).toMatch(/^\/interaction\/[^/]+$/);
    expect(chooser.body).toContain(translate('en', 'ui.chooser.cancelled', { method: 'signaturgruppen', system: 'Profile System' }));
    const done = await upstreamLogin(browser, await chooseMethod(browser, chooser, 'signaturgruppen'), anna.sub);
    expect((await rpExchange(h, login, done.url, client)).claims()!.sub).toBe(account.id);
  });
});
