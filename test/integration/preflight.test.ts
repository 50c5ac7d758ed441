import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type RunningMockUpstream } from '../../src/dev/mock-upstream.ts';
import { getDialect } from '../../src/upstream/dialects/index.ts';
import { Browser } from '../helpers/browser.ts';
import { readyzUntil } from '../helpers/readyz.ts';
import { chooseMethod, errorCode, freePort, identities, openAuthorize, rpAuthorizeUrl, rpExchange, startHarness, upstreamLogin, type Harness } from '../helpers/harness.ts';

// Beside the harness's mocks, `fragile`: a mock NemID this file stops once the broker has discovered it.
let h: Harness;
let fragile: RunningMockUpstream | undefined;

beforeAll(async () => {
  const port = await freePort();
  fragile = await startMockUpstream({
    name: 'fragile',
    kind: 'nemid',
    dialect: getDialect('nemid'),
    clients: [{ client_id: 'portvagt', client_secret: 'fragile-upstream-secret', redirect_uris: [`http://127.0.0.1:${port}/callback/fragile`] }],
  });
  const issuer = fragile.issuer;
  h = await startHarness({
    port,
    configure: (raw) => {
      (raw.upstreams as unknown[]).push({ id: 'fragile', display_name: 'Fragile', dialect: 'nemid', issuer, client_id: 'portvagt', client_secret: 'fragile-upstream-secret' });
      (raw.clients as { login_methods: string[] }[])[0]!.login_methods.push('fragile');
    },
  });
});
afterAll(async () => {
  await h?.close();
  await fragile?.close();
});

describe('an upstream that goes down after its discovery was cached', () => {
  it('gives 501 on Portvagt instead of sending the user to a dead address', async () => {
    const subject = identities.nemid[0]!.sub;
    const account = await h.portvagt.accounts.create({ tenant: 'acme', username: 'fragile.user', displayName: 'Fragile User' });
    await h.portvagt.accounts.link(account.id, { method: 'fragile', issuer: fragile!.issuer, subject });
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h);
    const back = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'fragile'), subject);
    expect((await rpExchange(h, login, back.url)).claims()!.sub).toBe(account.id);

    await fragile!.close();
    fragile = undefined;
    // The background readiness check finds it down (reported, without failing readiness).
    const ready = await readyzUntil(h.base, (r) => r.body.checks['upstream:fragile']?.ok === false);
    expect(ready.status).toBe(200);
    const again = new Browser();
    const page = await chooseMethod(again, await openAuthorize(again, await rpAuthorizeUrl(h)), 'fragile');
    expect(page.url.startsWith(h.base)).toBe(true);
    expect(errorCode(page)).toBe(501);
    // Another method still works.
    const other = new Browser();
    const mockPage = await chooseMethod(other, await openAuthorize(other, await rpAuthorizeUrl(h)), 'nemid');
    expect(mockPage.url.startsWith(h.issuerOf('nemid'))).toBe(true);
  });
});
