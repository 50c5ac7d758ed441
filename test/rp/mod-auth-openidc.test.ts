import { describe, expect, it } from 'vitest';
import { identities, linkedAccount } from '../helpers/harness.ts';
import type { Site, TokenEndpointAuth } from './apache-rp.ts';
import {
  cancelAtChooser,
  confirmLogout,
  firstResponse,
  logoutThroughModule,
  loginThroughModule,
  navigatingBrowser,
  openProtected,
  postToModule,
  shownClaims,
  shownError,
  useApacheRp,
} from './module-walk.ts';

const AUTH_METHODS: TokenEndpointAuth[] = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];
const siteOf = (auth: TokenEndpointAuth) => `apache-${auth.replaceAll('_', '-')}`;

const SSO_SITES = ['apache-portal', 'apache-hr'] as const;

// MitID Erhverv, whose test identities the single-logins above leave unlinked.
const backchannelClient = (site: Site) => ({ backchannel_logout_uri: `${site.redirectUri}?logout=backchannel`, login_methods: ['mitid-erhverv'] });
// Both sites are on 127.0.0.1, where a browser sends every port the same cookies: each keeps its own session cookie.
const ownSessionCookie = (site: Site) => [`OIDCCookie ${site.spec.clientId}_session`];

const rp = useApacheRp([
  ...AUTH_METHODS.map((auth) => ({ clientId: siteOf(auth), auth })),
  // The module's default response mode, and the same with OIDCDefaultURL: what `form_post` avoids.
  { clientId: 'apache-query', auth: 'client_secret_basic', directives: () => ['OIDCResponseMode query'] },
  { clientId: 'apache-default-url', auth: 'client_secret_basic', directives: (site) => ['OIDCResponseMode query', `OIDCDefaultURL ${site.protectedUrl}`] },
  // Two systems of one company, each told of a logout on the back channel (docs/relying-parties.md).
  ...SSO_SITES.map((clientId) => ({ clientId, auth: 'client_secret_basic' as const, client: backchannelClient, directives: ownSessionCookie })),
]);

const CANCEL = { error: 'OpenID Connect Provider error: access_denied', description: 'Portvagt user cancelled' };

describe("Apache's mod_auth_openidc (Debian's package) as a system of Portvagt", () => {
  for (const [i, auth] of AUTH_METHODS.entries()) {
    it(`logs in with ${auth}: the application sees Portvagt's sub and the userinfo the module read`, async () => {
      const identity = identities.mitid[i + 1]!;
      const account = await linkedAccount(rp.h, 'mitid', identity.sub);
      const page = await loginThroughModule(navigatingBrowser(), rp.site(siteOf(auth)), identity.sub);
      expect(page.status, rp.apache.errorLog()).toBe(200);
      const { claims, userinfo } = shownClaims(page);
      expect(claims).toEqual({ sub: account.id, tenant: 'acme', preferred_username: account.username, amr: ['mitid', ...(identity.amr ?? [])].join(',') });
      expect(userinfo).toMatchObject({ sub: account.id, tenant: 'acme', preferred_username: account.username, name: account.display_name });
    });
  }

  it("logs out through the module's logout URL: Portvagt's /session/end, then back at the system, logged out", async () => {
    const subject = identities.mitid[0]!.sub;
    await linkedAccount(rp.h, 'mitid', subject);
    const browser = navigatingBrowser();
    const site = rp.site(siteOf('client_secret_basic'));
    await loginThroughModule(browser, site, subject);
    expect((await openProtected(browser, site)).url).toBe(site.protectedUrl);

    const toPortvagt = await browser.get(site.logoutUrl, { until: (url) => url.startsWith(`${rp.h.base}/session/end`) });
    const request = new URL(toPortvagt.url).searchParams;
    expect(request.get('post_logout_redirect_uri')).toBe(site.loggedOutUrl);
    expect(request.get('id_token_hint')).toMatch(/^ey/);
    const landed = await confirmLogout(browser, toPortvagt);
    expect(landed.url).toBe(site.loggedOutUrl);
    expect(landed.body).toContain('Logged out of the Apache RP');
    // The module's session is gone: the protected page sends the browser to Portvagt's chooser again.
    expect((await openProtected(browser, site)).url).toMatch(new RegExp(`^${rp.h.base}/interaction/`));
  });

  it('"Annullér" on the chooser: with form_post the application shows access_denied, "Portvagt user cancelled"', async () => {
    const browser = navigatingBrowser();
    const site = rp.site(siteOf('client_secret_basic'));
    const answer = await cancelAtChooser(browser, await openProtected(browser, site));
    // Portvagt's answer carries iss (RFC 9207) beside the error, as it must.
    expect(answer.body).toContain(`name="iss" value="${rp.h.base}"`);

    const page = await postToModule(browser, answer, site);
    expect(page.status).toBe(200);
    expect(shownError(page)).toEqual(CANCEL);
    // No module session came of it: the protected page asks Portvagt again.
    expect((await openProtected(browser, site)).url).toMatch(new RegExp(`^${rp.h.base}/interaction/`));
  });

  it('without form_post the module takes the cancel (error and iss in the query) for a third-party login', async () => {
    const browser = navigatingBrowser();
    const site = rp.site('apache-query');
    const chooser = await openProtected(browser, site);
    const answer = await browser.submit(chooser, { form: (f) => f.action.endsWith('/abort'), until: (url) => url.startsWith(site.redirectUri) });
    expect(Object.fromEntries(new URL(answer.url).searchParams)).toMatchObject({ error: 'access_denied', error_description: CANCEL.description, iss: rp.h.base });

    const page = await firstResponse(browser, answer.url);
    expect(shownError(page)).toEqual({
      error: 'Invalid Request',
      description: 'SSO to this module without specifying a "target_link_uri" parameter is not possible because OIDCDefaultURL is not set.',
    });
  });

  it('OIDCDefaultURL does not help: the cancel starts a new login, back on the chooser', async () => {
    const browser = navigatingBrowser();
    const site = rp.site('apache-default-url');
    const page = await cancelAtChooser(browser, await openProtected(browser, site));
    expect(page.url).toMatch(new RegExp(`^${rp.h.base}/interaction/`));
    expect(page.body).toContain('/abort');
  });
});

describe('single sign-on and back-channel logout across two systems behind mod_auth_openidc', () => {
  const [portal, hr] = SSO_SITES;

  it("a login at one system opens the other's protected page without the chooser: the same account", async () => {
    const subject = identities['mitid-erhverv'][0]!.sub;
    const account = await linkedAccount(rp.h, 'mitid-erhverv', subject);
    const browser = navigatingBrowser();
    const first = await loginThroughModule(browser, rp.site(portal), subject, 'mitid-erhverv');
    expect(shownClaims(first).claims.sub).toBe(account.id);

    const answer = await openProtected(browser, rp.site(hr));
    expect(answer.url).not.toMatch(new RegExp(`^${rp.h.base}/interaction/`));
    const page = await postToModule(browser, answer, rp.site(hr));
    expect(page.url, rp.apache.errorLog()).toBe(rp.site(hr).protectedUrl);
    expect(shownClaims(page).claims).toMatchObject({ sub: account.id, tenant: 'acme', preferred_username: account.username });
  });

  it('logging out of one system ends the other: the module accepts the logout token and drops its session', async () => {
    const subject = identities['mitid-erhverv'][1]!.sub;
    await linkedAccount(rp.h, 'mitid-erhverv', subject);
    const browser = navigatingBrowser();
    await loginThroughModule(browser, rp.site(portal), subject, 'mitid-erhverv');
    await postToModule(browser, await openProtected(browser, rp.site(hr)), rp.site(hr));
    expect((await openProtected(browser, rp.site(hr))).url).toBe(rp.site(hr).protectedUrl);

    expect((await logoutThroughModule(browser, rp.site(portal))).url).toBe(rp.site(portal).loggedOutUrl);
    // Portvagt posts the logout tokens before it answers the logout, and each was taken (a refusal is retried and logged).
    expect(rp.h.logLines.filter((line) => line.includes('"event":"backchannel.'))).toEqual([]);
    // The module answers 200 to any logout token, even for a session it does not know: what counts is
    // that its session at the other system is gone, so the protected page asks Portvagt again.
    expect((await openProtected(browser, rp.site(hr))).url).toMatch(new RegExp(`^${rp.h.base}/interaction/`));
  });
});
