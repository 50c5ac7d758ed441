import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SUBJECTS, MOCK_IDENTITIES } from '../../src/dev/mock-identities.ts';
import { createMockUpstream, startMockUpstream, type RunningMockUpstream } from '../../src/dev/mock-upstream.ts';
import type { Dialect } from '../../src/upstream/dialects/dialect.ts';
import { Browser, readForm, type Page } from '../helpers/browser.ts';

const REDIRECT_URI = 'https://rp.example/cb';
const CLIENT = { client_id: 'portvagt', client_secret: 'mock-secret', redirect_uris: [REDIRECT_URI] };
const atRp = (url: string) => url.startsWith(REDIRECT_URI);

/** Carries its reason in `fake_error` and its own error_description, like the NemID-style upstreams. */
const fakeDialect: Dialect = {
  name: 'fake',
  rows: {
    LOCK001: { code: 5502, guidance: 'fake.locked', retry: false },
    CANCEL: { code: 5500, guidance: 'fake.cancelled', retry: true },
  },
  reason: (params) => params.get('fake_error') ?? undefined,
  key: (value) => value,
  encode: (reason) => ({ fake_error: reason, error_description: `fake says ${reason}` }),
};

async function discover(issuer: string, auth?: oidc.ClientAuth): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(issuer), CLIENT.client_id, CLIENT.client_secret, auth, {
    execute: [oidc.allowInsecureRequests],
  });
}

async function authorize(config: oidc.Configuration, extra: Record<string, string> = {}) {
  const pkceCodeVerifier = oidc.randomPKCECodeVerifier();
  const expectedState = oidc.randomState();
  const expectedNonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid',
    code_challenge: await oidc.calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: 'S256',
    state: expectedState,
    nonce: expectedNonce,
    ...extra,
  });
  return { url: url.href, checks: { pkceCodeVerifier, expectedState, expectedNonce } };
}

function pickIdentity(browser: Browser, page: Page, sub: string): Promise<Page> {
  return browser.submit(page, { form: 'login', button: { name: 'identity', value: sub }, until: atRp });
}

describe('mock upstream', () => {
  let mock: RunningMockUpstream;
  let config: oidc.Configuration;

  beforeAll(async () => {
    mock = await startMockUpstream({ name: 'mitid-erhverv', kind: 'mitid-erhverv', dialect: fakeDialect, clients: [CLIENT] });
    config = await discover(mock.issuer);
  });
  afterAll(() => mock.close());

  it('publishes discovery metadata a careful client expects', () => {
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(mock.issuer);
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.response_types_supported).toEqual(['code']);
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['client_secret_basic', 'client_secret_post']));
    expect(metadata.acr_values_supported).toContain('https://data.gov.dk/concept/core/nsis/loa/High');
  });

  it('logs in the identity picked on its page and returns its claims in the ID token', async () => {
    const browser = new Browser();
    const flow = await authorize(config);
    const page = await browser.get(flow.url, { follow: true });
    expect(page.status).toBe(200);
    const identity = MOCK_IDENTITIES['mitid-erhverv'][1]!;
    expect(page.body).toContain(`data-identity="${identity.sub}"`);

    const callback = await pickIdentity(browser, page, identity.sub);
    expect(callback.stopped).toBe(true);
    const params = new URL(callback.url).searchParams;
    expect(params.get('iss')).toBe(mock.issuer);
    expect(params.get('state')).toBe(flow.checks.expectedState);

    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback.url), flow.checks);
    expect(tokens.claims()).toMatchObject({
      iss: mock.issuer,
      aud: CLIENT.client_id,
      nonce: flow.checks.expectedNonce,
      sub: identity.sub,
      acr: identity.acr,
      ...identity.claims,
    });
    expect(tokens.claims()?.cvr).toMatch(/^\d{8}$/);
  });

  it('takes client_secret_basic at the token endpoint too', async () => {
    const basic = await discover(mock.issuer, oidc.ClientSecretBasic(CLIENT.client_secret));
    const flow = await authorize(basic, { login_hint: DEMO_SUBJECTS['mitid-erhverv'] });
    const callback = await new Browser().get(flow.url, { until: atRp });
    const tokens = await oidc.authorizationCodeGrant(basic, new URL(callback.url), flow.checks);
    expect(tokens.claims()?.sub).toBe(DEMO_SUBJECTS['mitid-erhverv']);
  });

  it('asks again on the next request instead of reusing the session', async () => {
    const browser = new Browser();
    const first = await authorize(config, { login_hint: DEMO_SUBJECTS['mitid-erhverv'] });
    expect((await browser.get(first.url, { until: atRp })).stopped).toBe(true);
    const second = await browser.get((await authorize(config)).url, { follow: true });
    expect(second.status).toBe(200);
    expect(readForm(second.body, second.url, 'login').buttons).toHaveLength(MOCK_IDENTITIES['mitid-erhverv'].length);
  });

  it('fails with a dialect reason: the dialect parameters, state and iss at the redirect URI', async () => {
    const browser = new Browser();
    const flow = await authorize(config);
    const page = await browser.get(flow.url, { follow: true });
    const callback = await browser.submit(page, {
      form: 'fail',
      fields: { reason: 'LOCK001', error_description: 'typed text' },
      until: atRp,
    });
    const params = new URL(callback.url).searchParams;
    expect(Object.fromEntries(params)).toEqual({
      error: 'access_denied',
      // The dialect's own description carries its reason, so it wins over the typed text.
      error_description: 'fake says LOCK001',
      fake_error: 'LOCK001',
      state: flow.checks.expectedState,
      iss: mock.issuer,
    });

    const failure = await oidc.authorizationCodeGrant(config, new URL(callback.url), flow.checks).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(oidc.AuthorizationResponseError);
    expect(fakeDialect.reason((failure as oidc.AuthorizationResponseError).cause)).toBe('LOCK001');
  });

  it('fails with a plain OAuth error and the typed error_description', async () => {
    const browser = new Browser();
    const flow = await authorize(config);
    const page = await browser.get(flow.url, { follow: true });
    const form = readForm(page.body, page.url, 'fail');
    expect(form.fields.reason).toBe('LOCK001');
    const callback = await browser.submit(page, {
      form: 'fail',
      fields: { reason: 'temporarily_unavailable', error_description: 'try <later>' },
      until: atRp,
    });
    expect(Object.fromEntries(new URL(callback.url).searchParams)).toEqual({
      error: 'temporarily_unavailable',
      error_description: 'try <later>',
      state: flow.checks.expectedState,
      iss: mock.issuer,
    });
  });

  it('fails without a page on login_hint=fail:<reason>, also with a reason the dialect does not know', async () => {
    const flow = await authorize(config, { login_hint: 'fail:NEW042' });
    const callback = await new Browser().get(flow.url, { until: atRp });
    const params = new URL(callback.url).searchParams;
    expect(params.get('fake_error')).toBe('NEW042');
    expect(params.get('error')).toBe('access_denied');
  });

  it('shows its own page for an interaction it does not know', async () => {
    const flow = await authorize(config);
    const interaction = await new Browser().get(flow.url);
    const stranger = await new Browser().get(interaction.location!);
    expect(stranger.status).toBe(400);
    expect(stranger.body).toContain('Login not found');
  });

  it('finishes a failed interaction: the page cannot be used again', async () => {
    const browser = new Browser();
    const page = await browser.get((await authorize(config)).url, { follow: true });
    await browser.submit(page, { form: 'fail', until: atRp });
    expect((await browser.submit(page, { form: 'fail', until: atRp })).status).toBe(400);
  });
});

describe('mock upstreams mounted in one app', () => {
  const server = createServer();
  let origin: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const app = express();
    for (const kind of ['mitid', 'nemid'] as const) {
      createMockUpstream({ name: kind, kind, dialect: fakeDialect, issuer: `${origin}/upstream/${kind}`, clients: [CLIENT] }).mount(app);
    }
    server.on('request', app);
  });
  afterAll(() => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  }));

  it('runs two interleaved flows in one browser without their cookies clashing', async () => {
    const mitid = await discover(`${origin}/upstream/mitid`);
    const nemid = await discover(`${origin}/upstream/nemid`);
    const browser = new Browser();
    const mitidFlow = await authorize(mitid);
    const nemidFlow = await authorize(nemid);
    const mitidPage = await browser.get(mitidFlow.url, { follow: true });
    const nemidPage = await browser.get(nemidFlow.url, { follow: true });
    expect(mitidPage.url).toContain('/upstream/mitid/interaction/');

    const nemidCallback = await pickIdentity(browser, nemidPage, DEMO_SUBJECTS.nemid);
    const mitidCallback = await pickIdentity(browser, mitidPage, DEMO_SUBJECTS.mitid);

    const nemidTokens = await oidc.authorizationCodeGrant(nemid, new URL(nemidCallback.url), nemidFlow.checks);
    const mitidTokens = await oidc.authorizationCodeGrant(mitid, new URL(mitidCallback.url), mitidFlow.checks);
    expect(nemidTokens.claims()).toMatchObject({ iss: `${origin}/upstream/nemid`, sub: DEMO_SUBJECTS.nemid, cpr: '1204851234' });
    expect(mitidTokens.claims()).toMatchObject({ iss: `${origin}/upstream/mitid`, sub: DEMO_SUBJECTS.mitid, name: 'Mette Jensen' });
    expect(browser.jar.cookiesFor(new URL(`${origin}/upstream/nemid/auth`)).map((c) => c.name)).not.toContain('_mitid_session');
  });
});
