import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type RunningMockUpstream } from '../../src/dev/mock-upstream.ts';
import { StoreUnavailableError } from '../../src/errors/boundary-errors.ts';
import { ERROR_CODES, type ErrorCode } from '../../src/errors/catalogue.ts';
import { getDialect } from '../../src/upstream/dialects/index.ts';
import { Browser, type Page } from '../helpers/browser.ts';
import {
  chooseMethod,
  errorCode,
  freePort,
  identities,
  linkedAccount,
  openAuthorize,
  toRp,
  rpAuthorizeUrl,
  startHarness,
  upstreamFail,
  upstreamLogin,
  type Harness,
} from '../helpers/harness.ts';

/**
 * Every catalogue code, reached through real requests. The trigger table is typed by ErrorCode, so a
 * new code without a trigger does not compile, and the last test checks the table at run time too.
 */
let h: Harness;
let broken: RunningMockUpstream;

beforeAll(async () => {
  const port = await freePort();
  // An upstream that accepts Portvagt's login but refuses its client secret at the token endpoint.
  broken = await startMockUpstream({
    name: 'broken',
    kind: 'mitid',
    dialect: getDialect('mitid'),
    clients: [{ client_id: 'portvagt', client_secret: 'the-real-secret', redirect_uris: [`http://127.0.0.1:${port}/callback/broken`] }],
  });
  h = await startHarness({
    port,
    configure: (raw) => {
      raw.timeouts = { chooser: 60, first_login: 60, link: 60, cpr: 60 };
      const upstreams = raw.upstreams as Record<string, unknown>[];
      upstreams.push(
        { id: 'down', display_name: 'Down', dialect: 'oidc', issuer: 'http://127.0.0.1:9', client_id: 'portvagt', client_secret: 'x' },
        { id: 'broken', display_name: 'Broken', dialect: 'mitid', issuer: broken.issuer, client_id: 'portvagt', client_secret: 'not-the-real-secret' },
      );
      const client = (raw.clients as Record<string, unknown>[])[0]!;
      client.login_methods = [...(client.login_methods as string[]), 'down', 'broken'];
      (raw.tenants as Record<string, unknown>[])[1]!.require_cpr_match = true;
      (raw.clients as Record<string, unknown>[]).push({ ...client, client_id: 'beta-rp', tenants: ['beta'], login_methods: ['mitid'] });
  },
});
});
afterAll(async () => {
  await h?.close();
  await broken?.close();
});


async function chooser(params: Record<string, string> = {}) {
  const browser = new Browser();
  const login = await rpAuthorizeUrl(h, params);
  return { browser, page: await openAuthorize(browser, login) };
}

async function atUpstream(method: string, params: Record<string, string> = {}) {
  const { browser, page } = await chooser(params);
  return { browser, mock: await chooseMethod(browser, page, method) };
}

/** Fails at the NemID mock with the first reason its dialect maps to `code`. */
async function nemidReason(code: ErrorCode): Promise<Page> {
  const reason = Object.entries(getDialect('nemid').rows).find(([, row]) => row.code === code)![0];
  const { browser, mock } = await atUpstream('nemid');
  return upstreamFail(browser, mock, reason);
}

/** Replaces a repository method for one request, as a failing database or a bug would. */
async function withFault(error: Error, run: () => Promise<Page>): Promise<Page> {
  const accounts = h.portvagt.accounts;
  const original = accounts.findByIdentity;
  accounts.findByIdentity = () => Promise.reject(error);
  try {
    return await run();
  } finally {
    accounts.findByIdentity = original;
  }
}

const loginAs = async (method: string, subject: string, params: Record<string, string> = {}) => {
  const { browser, mock } = await atUpstream(method, params);
  return upstreamLogin(browser, mock, subject);
};

const invited = async () => {
  const account = await h.portvagt.accounts.create({ tenant: 'acme', username: `inv-${Math.random().toString(36).slice(2, 8)}`, displayName: 'Invited' });
  return { account, password: (await h.portvagt.invitations.issue(account.id)).password };
};

const TRIGGERS: Record<ErrorCode, () => Promise<Page>> = {
  500: () => withFault(new Error('a bug'), () => loginAs('mitid', identities.mitid[1]!.sub)),
  501: async () => {
    const { browser, page } = await chooser();
    return chooseMethod(browser, page, 'down');
  },
  502: () => withFault(new StoreUnavailableError('durable', new Error('connection refused')), () => loginAs('mitid', identities.mitid[1]!.sub)),
  3000: () => new Browser().get(`${h.base}/callback/mitid?code=abc`, { follow: true }),
  3001: async () => {
    const { browser, page } = await chooser();
    h.clock.advance(61_000);
    return chooseMethod(browser, page, 'mitid');
  },
  3002: async () => {
    let callback = '';
    const { browser, mock } = await atUpstream('mitid');
    await browser.submit(mock, { form: (f) => f.action.endsWith('/login'), fields: { identity: identities.mitid[2]!.sub }, until: (url) => (url.includes('/callback/') ? ((callback = url), true) : false) });
    await browser.get(callback);
    return browser.get(callback, { follow: true });
  },
  3003: async () => {
    const { browser, mock } = await atUpstream('nordigo-2fa');
    return upstreamFail(browser, mock, 'access_denied');
  },
  3004: () => loginAs('broken', identities.mitid[1]!.sub),
  3005: async () => {
    const { browser, page } = await chooser();
    const toMock = await browser.submit(page, { form: (f) => f.action.endsWith('/method'), button: { name: 'method', value: 'mitid' }, until: (url) => url.startsWith(h.issuerOf('mitid')) });
    // The request reaches the upstream with another nonce, so its ID token carries that one back.
    const tampered = new URL(toMock.url);
    tampered.searchParams.set('nonce', 'not-the-nonce');
    return upstreamLogin(browser, await browser.get(tampered.href, { follow: true }), identities.mitid[1]!.sub);
  },
  3008: async () => (await chooser({ tenant: 'nowhere' })).page,
  4000: async () => {
    await linkedAccount(h, 'mitid', identities.mitid[0]!.sub, 'beta');
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h, { client_id: 'beta-rp' });
    const form = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'mitid'), identities.mitid[0]!.sub);
    h.clock.advance(61_000);
    return browser.submit(form, { form: (f) => f.action.endsWith('/cpr'), fields: { cpr: '1204851234' }, until: toRp });
  },
  4001: async () => {
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h, { client_id: 'beta-rp' });
    const form = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'mitid'), identities.mitid[0]!.sub);
    h.clock.advance(61_000);
    return browser.get(form.url, { follow: true });
  },
  4100: async () => {
    await linkedAccount(h, 'nemid', identities.nemid[1]!.sub);
    const { browser, mock } = await atUpstream('nemid', { action: 'link' });
    const linkPage = await upstreamLogin(browser, mock, identities.nemid[1]!.sub);
    h.clock.advance(61_000);
    return browser.submit(linkPage, { form: (f) => f.action.endsWith('/link/method'), button: { name: 'method', value: 'mitid' }, until: toRp });
  },
  5003: async () => (await chooser({ action: 'merge-accounts' })).page,
  5004: async () => (await chooser({ login_method: 'myspace' })).page,
  5005: async () => (await chooser({ redirect_uri: 'https://evil.example/cb' })).page,
  5007: async () => {
    const { account } = await invited();
    const { browser, mock } = await atUpstream('mitid-erhverv', { action: 'first-login' });
    const form = await upstreamLogin(browser, mock, identities['mitid-erhverv'][1]!.sub);
    return browser.submit(form, { form: (f) => f.action.endsWith('/first-login'), fields: { username: account.username, password: 'wrong' }, until: toRp });
  },
  5500: () => nemidReason(5500),
  5501: () => nemidReason(5501),
  5502: () => nemidReason(5502),
  6000: async () => {
    const { account, password } = await invited();
    const { browser, mock } = await atUpstream('mitid-erhverv', { action: 'first-login' });
    const form = await upstreamLogin(browser, mock, identities['mitid-erhverv'][2]!.sub);
    h.clock.advance(61_000);
    return browser.submit(form, { form: (f) => f.action.endsWith('/first-login'), fields: { username: account.username, password }, until: toRp });
  },
  6001: () => loginAs('nordigo-2fa', identities['2fa'][2]!.sub),
  6002: async () => {
    await linkedAccount(h, 'nordigo-2fa', identities['2fa'][1]!.sub);
    return loginAs('nordigo-2fa', identities['2fa'][1]!.sub, { action: 'first-login' });
  },
  7000: async () => (await chooser({ client_id: 'who-is-this' })).page,
  7001: async () => (await chooser({ client_id: 'disabled-rp' })).page,
  8000: () => new Browser().get(`${h.base}/lang?lang=xx&return_to=/help/errors`, { follow: true }),
};

describe('every Portvagt code is reachable through real requests', () => {
  for (const code of ERROR_CODES) {
    it(`${code}`, async () => {
      const page = await TRIGGERS[code]();
      expect(errorCode(page)).toBe(code);
      expect(page.body).toContain(`${code}`);
      expect(page.body).toMatch(new RegExp(`/help/errors(\\?[^#"]*)?#${code}"`));
      expect(page.body).not.toMatch(/at .*\.(ts|js):\d+/);
    });
  }

  it('has a trigger for every code in the catalogue and none besides', () => {
    expect(Object.keys(TRIGGERS).map(Number).sort((a, b) => a - b)).toEqual([...ERROR_CODES]);
  });
});
