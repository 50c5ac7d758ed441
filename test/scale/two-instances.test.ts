import type { IncomingMessage } from 'node:http';
import * as client from 'openid-client';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roundRobin, startBalancer, type Route, type RunningBalancer } from '../../scripts/load-balancer.ts';
import { startPortvagt, type Portvagt } from '../../src/portvagt.ts';
import { MANAGEMENT_SCOPE } from '../../src/provider/provider.ts';
import { Browser, type Page } from '../helpers/browser.ts';
import { chooseMethod, freePort, identities, linkedAccount, openAuthorize, rpAuthorizeUrl, rpExchange, startHarness, toRp, upstreamLogin, type Harness } from '../helpers/harness.ts';
import { sharedStores, type SharedStores } from './scale-kit.ts';

// Two instances of Portvagt behind one public URL, sharing PostgreSQL and Redis. The balancer in
// front lets each test decide which instance answers which request.
let stores: SharedStores;
let lb: RunningBalancer;
let a: Harness;
let b: Portvagt;
const bLog: string[] = [];
const origin = { a: '', b: '' };
let route: Route = () => [origin.a];

beforeAll(async () => {
  stores = await sharedStores();
  const [lbPort, portA, portB] = [await freePort(), await freePort(), await freePort()];
  origin.a = `http://127.0.0.1:${portA}`;
  origin.b = `http://127.0.0.1:${portB}`;
  lb = await startBalancer({ port: lbPort, route: (req) => route(req) });
  a = await startHarness({
    port: lbPort,
    configure: (raw) => {
      raw.server = { port: portA, base_url: lb.url };
      stores.apply(raw);
      (raw.clients as Record<string, unknown>[]).push({ ...ADMIN, display_name: 'Administration', redirect_uris: ['https://admin.example/cb'], tenants: ['acme'], login_methods: ['mitid'], management_scopes: [MANAGEMENT_SCOPE] });
    },
  });
  b = await startPortvagt({ ...a.config, server: { ...a.config.server, port: portB } }, { log: pino({ level: 'debug' }, { write: (line: string) => void bLog.push(line) }) });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
  await lb?.close();
  await stores?.drop();
});

const ADMIN = { client_id: 'scale-admin', client_secret: 'scale-admin-secret-0123456789' };

/** The paths an instance answered, from its request log. */
const served = (lines: string[]) => lines.map((line) => JSON.parse(line) as { msg: string; path?: string }).filter((l) => l.msg === 'request').map((l) => l.path!);
const pathOf = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://x').pathname;

describe('two instances sharing PostgreSQL and Redis', () => {
  it("share a single sign-on session, and end it on both at once when an operator revokes it on one", async () => {
    const subject = identities.mitid[2]!.sub;
    const account = await linkedAccount(a, 'mitid', subject);
    route = () => [origin.a];
    const browser = new Browser();
    const login = await rpAuthorizeUrl(a);
    await rpExchange(a, login, (await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'mitid'), subject)).url);
    // Instance B releases A's session.
    route = () => [origin.b];
    const onB = await rpAuthorizeUrl(a);
    expect((await rpExchange(a, onB, (await openAuthorize(browser, onB)).url)).claims()!.sub).toBe(account.id);

    // The operator ends it through instance A's management API.
    route = () => [origin.a];
    const admin = await client.discovery(new URL(lb.url), ADMIN.client_id, ADMIN.client_secret, undefined, { execute: [client.allowInsecureRequests] });
    const token = (await client.clientCredentialsGrant(admin, { scope: MANAGEMENT_SCOPE })).access_token;
    const revoked = await fetch(`${lb.url}/api/v1/accounts/${account.id}/sessions`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(await revoked.json()).toEqual({ account_id: account.id, revoked: 1 });
    // Both instances ask for a login now.
    for (const instance of [origin.a, origin.b]) {
      route = () => [instance];
      const page = await openAuthorize(browser, await rpAuthorizeUrl(a));
      expect(page.body, instance).toContain('data-method="mitid"');
    }
  });

  it('finish on instance B a login that was authorized on instance A', async () => {
    route = (req) => (/^\/(callback|token)/.test(pathOf(req)) ? [origin.b] : [origin.a]);
    const subject = identities.mitid[1]!.sub;
    const account = await linkedAccount(a, 'mitid', subject);
    const [aBefore, bBefore] = [a.logLines.length, bLog.length];
    const browser = new Browser();
    const login = await rpAuthorizeUrl(a);
    const back = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'mitid'), subject);
    const claims = (await rpExchange(a, login, back.url)).claims()!;
    expect(claims.sub).toBe(account.id);
    expect(claims.iss).toBe(lb.url);

    const byA = served(a.logLines.slice(aBefore));
    const byB = served(bLog.slice(bBefore));
    expect(byA).toContain('/auth');
    expect(byA.some((p) => p.startsWith('/callback') || p === '/token')).toBe(false);
    expect(byB).toEqual(expect.arrayContaining(['/callback/mitid', '/token']));
  });

  it('publish one key set, so tokens of either instance verify against either', async () => {
    const [keysA, keysB] = await Promise.all([fetch(`${origin.a}/jwks`), fetch(`${origin.b}/jwks`)].map(async (r) => (await r).json()));
    expect(keysA).toEqual(keysB);
  });

  it('run a first-time login whose every request goes to the other instance than the one before', async () => {
    route = roundRobin([origin.a, origin.b]);
    const account = await a.portvagt.accounts.create({ tenant: 'acme', username: 'scale.invited', displayName: 'Scale Invited' });
    const { password } = await a.portvagt.invitations.issue(account.id);
    const browser = new Browser();
    const login = await rpAuthorizeUrl(a, { action: 'first-login' });
    const form = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'nemid'), identities.nemid[1]!.sub);
    expect(form.body).toContain('name="password"');
    const back = await browser.submit(form, { form: (f) => f.action.endsWith('/first-login'), fields: { username: account.username, password }, until: toRp });
    expect((await rpExchange(a, login, back.url)).claims()!.sub).toBe(account.id);
    expect((await a.portvagt.accounts.links(account.id)).map((l) => l.method)).toEqual(['nemid']);
  });

  it('run a link flow across both instances', async () => {
    route = roundRobin([origin.a, origin.b]);
    const account = await linkedAccount(a, 'mitid-erhverv', identities['mitid-erhverv'][1]!.sub);
    const browser = new Browser();
    const login = await rpAuthorizeUrl(a, { action: 'link' });
    const linkPage = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'mitid-erhverv'), identities['mitid-erhverv'][1]!.sub);
    const mock = await browser.submit(linkPage, { form: (f) => f.action.endsWith('/link/method'), button: { name: 'method', value: 'nordigo-2fa' }, until: toRp });
    const after: Page = await upstreamLogin(browser, mock, identities['2fa'][1]!.sub);
    const finished = await browser.submit(after, { form: (f) => f.action.endsWith('/link/finish'), until: toRp });
    expect((await rpExchange(a, login, finished.url)).claims()!.sub).toBe(account.id);
    expect((await a.portvagt.accounts.links(account.id)).map((l) => l.method).sort()).toEqual(['mitid-erhverv', 'nordigo-2fa']);
  });

  it('finish a login on B after instance A dies in the middle of it', async () => {
    route = roundRobin([origin.a, origin.b]);
    const subject = identities['2fa'][2]!.sub;
    const account = await linkedAccount(a, 'nordigo-2fa', subject);
    const browser = new Browser();
    const login = await rpAuthorizeUrl(a);
    const mockPage = await chooseMethod(browser, await openAuthorize(browser, login), 'nordigo-2fa');
    expect(served(a.logLines)).toContain('/auth');

    // A crash, not a shutdown: connections cut, nothing finished or cleaned up.
    a.portvagt.server.close();
    a.portvagt.server.closeAllConnections();
    const bBefore = bLog.length;
    const back = await upstreamLogin(browser, mockPage, subject);
    expect((await rpExchange(a, login, back.url)).claims()!.sub).toBe(account.id);
    expect(served(bLog.slice(bBefore))).toEqual(expect.arrayContaining(['/callback/nordigo-2fa', '/token']));
  });
});
