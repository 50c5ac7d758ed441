import * as client from 'openid-client';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/accounts.ts';
import { cprFingerprint } from '../../src/accounts/cpr.ts';
import type { ReleaseRule } from '../../src/flows/release-gate.ts';
import { Browser, type Page } from '../helpers/browser.ts';
import { addCprSystem, chooseMethod, errorCode, identities, openAuthorize, RP_REDIRECT, rpAuthorizeUrl, rpExchange, rpOf, toRp, useHarness, type RpLogin } from '../helpers/harness.ts';

/**
 * The release rules through real requests: every path that ends in a code (login, first-time login,
 * link finish) with each rule broken in turn gets the rule's code, and no code reaches the system, no
 * identity is linked, no invitation is used.
 */

const LOA = 'https://data.gov.dk/concept/core/nsis/loa/';
const h = useHarness({
  configure: (raw) => {
    addCprSystem(raw);
    raw.timeouts = { link: 3600, link_verification: 300, first_login: 3600 };
    // A broker profile that asks for the level with acr_values, so the request's level shows at the mock.
    (raw.upstreams as Record<string, unknown>[]).find((u) => u.id === 'mitid')!.profile = 'ingroupe';
  },
});

let cprRp: client.Configuration;
beforeAll(async () => {
  cprRp = await rpOf(h, 'cpr-rp');
});

type Path = 'login' | 'first-login' | 'link-finish';
const PATHS: readonly Path[] = ['login', 'first-login', 'link-finish'];

const mette = identities.mitid[0]!; // MitID delivers her CPR, level Substantial
const anna = identities.mitid[2]!; // MitID delivers no CPR
const annaNemid = identities.nemid[2]!; // NemID delivers no CPR; NemID is not configured to
const LARS_CPR = identities.mitid[1]!.claims.cpr!;

interface Scenario {
  /** The system: `test-rp` (tenant acme, no CPR match) or `cpr-rp` (tenant beta, CPR match). */
  system: 'test-rp' | 'cpr-rp';
  method: string;
  subject: string;
  params?: Record<string, string>;
  /** The account's tenant, when it is not the system's. */
  accountTenant?: string;
  /** Changes to the account before the flow starts. */
  prepare?: (account: Account) => Promise<unknown>;
  /** The mock upstream's "when the user authenticated" (seconds ago). */
  sessionAge?: number;
  /** Between the upstream login and the step that releases (the first-time login form, "Afslut tilknytning"). */
  beforeRelease?: () => void;
}

/** Each rule broken through requests; `tenant-served` and `method-allowed` are refused earlier (3008, 5004), and unit-tested on the gate. */
const BROKEN: Partial<Record<ReleaseRule, { codes: Record<Path, number>; scenario: Scenario }>> = {
  'account-enabled': {
    // A disabled account's invitation is not accepted: the first-time login answers as for a wrong password.
    codes: { login: 6001, 'first-login': 5007, 'link-finish': 6001 },
    scenario: { system: 'test-rp', method: 'mitid', subject: mette.sub, prepare: (a) => h.portvagt.accounts.setStatus(a.id, 'disabled') },
  },
  'account-in-tenant': {
    codes: { login: 6001, 'first-login': 5007, 'link-finish': 6001 },
    scenario: { system: 'test-rp', method: 'mitid', subject: mette.sub, accountTenant: 'beta' },
  },
  'link-verification-fresh': {
    codes: { login: 0, 'first-login': 0, 'link-finish': 4100 },
    scenario: { system: 'test-rp', method: 'mitid', subject: mette.sub, beforeRelease: () => h.clock.advance(301_000) },
  },
  'fresh-login': {
    codes: { login: 3005, 'first-login': 3005, 'link-finish': 3005 },
    scenario: { system: 'test-rp', method: 'mitid', subject: mette.sub, params: { prompt: 'login' }, sessionAge: 600 },
  },
  level: {
    codes: { login: 5502, 'first-login': 5502, 'link-finish': 5502 },
    scenario: { system: 'test-rp', method: 'mitid', subject: mette.sub, params: { acr_values: `${LOA}High` } },
  },
  'cpr-same-person': {
    codes: { login: 6001, 'first-login': 6001, 'link-finish': 6001 },
    scenario: { system: 'cpr-rp', method: 'mitid', subject: mette.sub, prepare: (a) => h.portvagt.accounts.setCprFingerprint(a.id, cprFingerprint(h.config.secrets, LARS_CPR)) },
  },
  'cpr-delivered': {
    codes: { login: 3005, 'first-login': 3005, 'link-finish': 3005 },
    scenario: { system: 'cpr-rp', method: 'mitid', subject: anna.sub },
  },
  'cpr-confirmable': {
    codes: { login: 6001, 'first-login': 6001, 'link-finish': 6001 },
    scenario: { system: 'cpr-rp', method: 'nemid', subject: annaNemid.sub },
  },
};

const created: Account[] = [];
afterEach(async () => {
  // The mock identities are few: each scenario's links go again.
  for (const account of created.splice(0)) {
    for (const link of await h.portvagt.accounts.links(account.id)) await h.portvagt.accounts.unlink(account.id, link.method, true);
  }
});

async function newAccount(tenant: string): Promise<Account> {
  const account = await h.portvagt.accounts.create({ tenant, username: `rule-${Math.random().toString(36).slice(2, 10)}`, displayName: 'Rule Tester' });
  created.push(account);
  return account;
}

const submit = (browser: Browser, page: Page, suffix: string, fields: Record<string, string> = {}) => browser.submit(page, { form: (f) => f.action.endsWith(suffix), fields, until: toRp });

/** Runs one path of a scenario to the page the release step answers with. */
async function run(path: Path, s: Scenario): Promise<{ page: Page; login: RpLogin; account: Account; linksBefore: string[] }> {
  const systemTenant = s.system === 'cpr-rp' ? 'beta' : 'acme';
  const account = await newAccount(s.accountTenant ?? systemTenant);
  const { password } = await h.portvagt.invitations.issue(account.id);
  if (path !== 'first-login') await h.portvagt.accounts.link(account.id, { method: s.method, issuer: h.issuerOf(s.method), subject: s.subject });
  await s.prepare?.(account);
  const linksBefore = (await h.portvagt.accounts.links(account.id)).map((l) => l.subject);
  const browser = new Browser();
  const action = path === 'link-finish' ? 'link' : path;
  const login = await rpAuthorizeUrl(h, { action, ...s.params }, s.system === 'cpr-rp' ? cprRp : h.rp);
  const mock = await chooseMethod(browser, await openAuthorize(browser, login), s.method);
  let page = await browser.submit(mock, { form: (f) => f.action.endsWith('/login'), fields: { identity: s.subject, session_age: String(s.sessionAge ?? 0) }, until: toRp });
  if (path === 'first-login' && page.url.endsWith('/first-login')) {
    s.beforeRelease?.();
    page = await submit(browser, page, '/first-login', { username: account.username, password });
  }
  if (path === 'link-finish' && page.url.endsWith('/link')) {
    s.beforeRelease?.();
    page = await submit(browser, page, '/link/finish');
  }
  return { page, login, account, linksBefore };
}

describe('no path releases a login that breaks a rule', () => {
  for (const [rule, { codes, scenario }] of Object.entries(BROKEN)) {
    for (const path of PATHS.filter((p) => codes[p] !== 0)) {
      it(`${path}, "${rule}" broken: ${codes[path]}, no code, nothing linked or redeemed`, async () => {
        const { page, account, linksBefore } = await run(path, scenario);
        expect(page.url.startsWith(RP_REDIRECT), `reached the system: ${page.url}`).toBe(false);
        expect(errorCode(page)).toBe(codes[path]);
        expect((await h.portvagt.accounts.links(account.id)).map((l) => l.subject)).toEqual(linksBefore);
        expect((await h.portvagt.invitations.list(account.id)).map((i) => i.status)).toEqual(['open']);
      });
    }
  }
});

describe('the same paths release a login that keeps the rules', () => {
  it.each(PATHS)('%s at a CPR system: the delivered CPR matches the stored one', async (path) => {
    const { page, login, account } = await run(path, { system: 'cpr-rp', method: 'mitid', subject: mette.sub, prepare: (a) => h.portvagt.accounts.setCprFingerprint(a.id, cprFingerprint(h.config.secrets, mette.claims.cpr!)) });
    expect((await rpExchange(h, login, page.url, cprRp)).claims()!.sub).toBe(account.id);
  });
});

describe('regressions', () => {
  it('a level asked with acr_values is asked of the upstream, and a lower answer gets a page with the true cause', async () => {
    const { page } = await run('login', { system: 'test-rp', method: 'mitid', subject: mette.sub, params: { acr_values: `${LOA}High` } });
    expect(errorCode(page)).toBe(5502);
    expect(page.body).toContain('Test System kræver MitID på niveau Høj. Du loggede ind på niveau Betydelig.');
    expect(page.body).not.toContain('afviste dit login');

    const browser = new Browser();
    await newAccount('acme');
    const mockPage = await chooseMethod(browser, await openAuthorize(browser, await rpAuthorizeUrl(h, { acr_values: `${LOA}High` })), 'mitid');
    expect(mockPage.body).toContain(`acr_values=${LOA}High`);
  });

  it('an essential acr is met with one of its values; the ID token says auth_time of the upstream login', async () => {
    const lars = identities.mitid[1]!; // level High
    const account = await newAccount('acme');
    await h.portvagt.accounts.link(account.id, { method: 'mitid', issuer: h.issuerOf('mitid'), subject: lars.sub });
    const browser = new Browser();
    const claims = JSON.stringify({ id_token: { acr: { essential: true, values: [`${LOA}Substantial`] } } });
    const login = await rpAuthorizeUrl(h, { claims });
    const mock = await chooseMethod(browser, await openAuthorize(browser, login), 'mitid');
    const page = await browser.submit(mock, { form: (f) => f.action.endsWith('/login'), fields: { identity: lars.sub, session_age: '600' }, until: toRp });
    const idToken = (await rpExchange(h, login, page.url)).claims()!;
    expect(idToken.acr).toBe(`${LOA}Substantial`);
    expect(Math.abs(idToken.auth_time! - (Math.floor(Date.now() / 1000) - 600))).toBeLessThan(30);
  });

  it('prompt=login and max_age are passed on to the upstream', async () => {
    const browser = new Browser();
    const mockPage = await chooseMethod(browser, await openAuthorize(browser, await rpAuthorizeUrl(h, { prompt: 'login', max_age: '120' })), 'mitid');
    expect(mockPage.body).toContain('prompt=login');
    expect(mockPage.body).toContain('max_age=120');
  });

  it('a link flow at a CPR system asks the CPR before the link page, and finishes with it confirmed', async () => {
    const account = await newAccount('beta');
    await h.portvagt.accounts.link(account.id, { method: 'mitid', issuer: h.issuerOf('mitid'), subject: mette.sub });
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h, { action: 'link' }, cprRp);
    const mock = await chooseMethod(browser, await openAuthorize(browser, login), 'mitid');
    const cprForm = await browser.submit(mock, { form: (f) => f.action.endsWith('/login'), fields: { identity: mette.sub }, until: toRp });
    expect(cprForm.url).toMatch(/\/cpr$/);
    const wrong = await submit(browser, cprForm, '/cpr', { cpr: LARS_CPR });
    expect(wrong.status).toBe(401);
    const linkPage = await submit(browser, wrong, '/cpr', { cpr: mette.claims.cpr! });
    expect(linkPage.url).toMatch(/\/link$/);
    const done = await submit(browser, linkPage, '/link/finish');
    expect((await rpExchange(h, login, done.url, cprRp)).claims()!.sub).toBe(account.id);
    expect((await h.portvagt.accounts.find(account.id))!.cpr_fingerprint).toBe(cprFingerprint(h.config.secrets, mette.claims.cpr!));
  });

  it('a first-time login at a CPR system links the identity only after the typed CPR matched the delivered one', async () => {
    const account = await newAccount('beta');
    const { password } = await h.portvagt.invitations.issue(account.id);
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h, { action: 'first-login' }, cprRp);
    const mock = await chooseMethod(browser, await openAuthorize(browser, login), 'mitid');
    const form = await browser.submit(mock, { form: (f) => f.action.endsWith('/login'), fields: { identity: mette.sub }, until: toRp });
    const cprForm = await submit(browser, form, '/first-login', { username: account.username, password });
    expect(cprForm.url).toMatch(/\/cpr$/);
    expect(await h.portvagt.accounts.links(account.id)).toEqual([]);
    const done = await submit(browser, cprForm, '/cpr', { cpr: mette.claims.cpr! });
    expect((await rpExchange(h, login, done.url, cprRp)).claims()!.sub).toBe(account.id);
    expect((await h.portvagt.accounts.links(account.id)).map((l) => l.subject)).toEqual([mette.sub]);
  });

  it('a link page past its time is gone: no "Prøv igen", its address says 4100 again, and the finish logs nobody in', async () => {
    const account = await newAccount('acme');
    await h.portvagt.accounts.link(account.id, { method: 'mitid', issuer: h.issuerOf('mitid'), subject: mette.sub });
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h, { action: 'link' });
    const mock = await chooseMethod(browser, await openAuthorize(browser, login), 'mitid');
    const linkPage = await browser.submit(mock, { form: (f) => f.action.endsWith('/login'), fields: { identity: mette.sub }, until: toRp });
    expect(linkPage.url).toMatch(/\/link$/);
    h.clock.advance(301_000);
    const expired = await browser.get(linkPage.url, { until: toRp });
    expect(errorCode(expired)).toBe(4100);
    expect(expired.body).not.toContain('Prøv igen');
    expect(expired.body).toContain('Start tilknytningen forfra i Test System');
    const again = await browser.get(linkPage.url.replace(/\/link$/, ''), { until: toRp });
    expect(errorCode(again)).toBe(4100);
    const finish = await submit(browser, linkPage, '/link/finish');
    expect(finish.url.startsWith(RP_REDIRECT)).toBe(false);
    expect(errorCode(finish)).toBe(4100);
    // "Start tilknytningen forfra" goes back to the system with the code, so it can start again.
    const back = await submit(browser, expired, '/abort');
    expect(new URL(back.url).searchParams.get('error_description')).toBe('Portvagt error 4100');
  });
});
