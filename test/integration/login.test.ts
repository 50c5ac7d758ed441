import { describe, expect, it } from 'vitest';
import { Browser } from '../helpers/browser.ts';
import {
  chooseMethod,
  errorCode,
  identities,
  linkedAccount,
  openAuthorize,
  RP_REDIRECT,
  rpAuthorizeUrl,
  rpExchange,
  toRp,
  useHarness,
  upstreamLogin,
  UPSTREAMS,
} from '../helpers/harness.ts';

const h = useHarness();

describe('brokered login', () => {
  for (const upstream of UPSTREAMS) {
    it(`logs in through ${upstream.id} and returns a verified ID token for the linked account`, async () => {
      const subject = identities[upstream.kind][1]!.sub;
      const account = await linkedAccount(h, upstream.id, subject);
      const browser = new Browser();
      const login = await rpAuthorizeUrl(h);
      const chooser = await openAuthorize(browser, login);
      expect(chooser.status).toBe(200);
      expect(chooser.body).toContain('Test System');
      for (const u of UPSTREAMS) expect(chooser.body).toContain(`data-method="${u.id}"`);

      const mockPage = await chooseMethod(browser, chooser, upstream.id);
      expect(mockPage.url.startsWith(h.issuerOf(upstream.id))).toBe(true);
      const back = await upstreamLogin(browser, mockPage, subject);
      expect(back.stopped).toBe(true);
      expect(back.url.startsWith(RP_REDIRECT)).toBe(true);

      const tokens = await rpExchange(h, login, back.url);
      const claims = tokens.claims()!;
      expect(claims.sub).toBe(account.id);
      expect(claims.tenant).toBe('acme');
      // amr: the method, then the authenticator the upstream named; acr: the NSIS level, where the upstream gave one.
      const identity = identities[upstream.kind][1]!;
      expect(claims.amr).toEqual([upstream.id, ...(identity.amr ?? [])]);
      expect(claims.acr).toBe(upstream.kind === '2fa' ? undefined : identity.acr);
      expect(claims.preferred_username).toBe(account.username);
      expect(claims.iss).toBe(h.base);
    });
  }

  it('skips the chooser when login_method is given', async () => {
    const subject = identities.nemid[2]!.sub;
    await linkedAccount(h, 'nemid', subject);
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h, { login_method: 'nemid' });
    const mockPage = await openAuthorize(browser, login);
    expect(mockPage.url.startsWith(h.issuerOf('nemid'))).toBe(true);
    const back = await upstreamLogin(browser, mockPage, subject);
    expect((await rpExchange(h, login, back.url)).claims()!.amr).toEqual(['nemid']);
  });

  it('shows 6001 for an upstream identity that is linked to no account', async () => {
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h);
    const mockPage = await chooseMethod(browser, await openAuthorize(browser, login), 'mitid');
    const page = await upstreamLogin(browser, mockPage, identities.mitid[2]!.sub);
    expect(page.status).toBe(403);
    expect(errorCode(page)).toBe(6001);
    expect(page.body).toContain('6001');
  });

  it('shows 6001 when the identity is linked in another tenant only', async () => {
    const subject = identities['mitid-erhverv'][2]!.sub;
    await linkedAccount(h, 'mitid-erhverv', subject, 'beta');
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h);
    const mockPage = await chooseMethod(browser, await openAuthorize(browser, login), 'mitid-erhverv');
    expect(errorCode(await upstreamLogin(browser, mockPage, subject))).toBe(6001);
  });

  it("keeps two logins in two tabs of one browser apart; the second account ends the first one's session", async () => {
    const a = identities['2fa'][0]!.sub;
    const b = identities['2fa'][2]!.sub;
    const accountA = await linkedAccount(h, 'nordigo-2fa', a);
    const accountB = await linkedAccount(h, 'nordigo-2fa', b);
    const browser = new Browser();
    const loginA = await rpAuthorizeUrl(h);
    const loginB = await rpAuthorizeUrl(h);
    const mockA = await chooseMethod(browser, await openAuthorize(browser, loginA), 'nordigo-2fa');
    const mockB = await chooseMethod(browser, await openAuthorize(browser, loginB), 'nordigo-2fa');
    const backB = await upstreamLogin(browser, mockB, b);
    expect(new URL(backB.url).searchParams.get('state')).toBe(loginB.state);
    expect((await rpExchange(h, loginB, backB.url)).claims()!.sub).toBe(accountB.id);
    // Another account logging in in this browser: oidc-provider first logs the browser out of B's
    // session (a form that posts itself), then A's tab gets A's code.
    const switching = await upstreamLogin(browser, mockA, a);
    expect(switching.url.startsWith(RP_REDIRECT)).toBe(false);
    const backA = await browser.submit(switching, { until: toRp });
    expect(new URL(backA.url).searchParams.get('state')).toBe(loginA.state);
    expect((await rpExchange(h, loginA, backA.url)).claims()!.sub).toBe(accountA.id);
    // The browser's session is A's now: the next request is released as A, never as B.
    const next = await rpAuthorizeUrl(h);
    const released = await openAuthorize(browser, next);
    expect((await rpExchange(h, next, released.url)).claims()!.sub).toBe(accountA.id);
  });

  it('refuses a callback from another browser with 3002', async () => {
    const victim = new Browser();
    const attacker = new Browser();
    const login = await rpAuthorizeUrl(h);
    const mockPage = await chooseMethod(victim, await openAuthorize(victim, login), 'mitid');
    let callbackUrl = '';
    await victim.submit(mockPage, {
      form: (f) => f.action.endsWith('/login'),
      fields: { identity: identities.mitid[1]!.sub },
      until: (url) => {
        if (url.includes('/callback/')) callbackUrl = url;
        return url.includes('/callback/');
      },
    });
    expect(errorCode(await attacker.get(callbackUrl, { follow: true }))).toBe(3002);
  });

  it('answers a callback without state or code with 3000', async () => {
    const page = await new Browser().get(`${h.base}/callback/mitid?foo=bar`, { follow: true });
    expect(errorCode(page)).toBe(3000);
    expect(page.status).toBe(400);
  });
});
