import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, readForms } from '../helpers/browser.ts';
import { chooseMethod, errorCode, identities, linkedAccount, openAuthorize, privateKeyJwtClient, RP_REDIRECT, rpAuthorizeUrl, rpExchange, rpPushedAuthorizeUrl, startHarness, upstreamLogin, type Harness, type RpLogin } from '../helpers/harness.ts';

let h: Harness;
let rsaKey: client.CryptoKey;

beforeAll(async () => {
  const rsa = await privateKeyJwtClient('rsa-rp', 'RS256');
  rsaKey = rsa.privateKey;
  h = await startHarness({
    configure: (raw) => {
      const clients = raw.clients as Record<string, unknown>[];
      clients.push({ ...clients[0]!, ...rsa.settings });
    },
  });
});
afterAll(async () => {
  await h?.close();
});

/** A pushed authorization request (PAR) of the harness's RP; the browser's URL carries only its request_uri. */
async function pushedAuthorizeUrl(params: Record<string, string>): Promise<RpLogin> {
  const login = await rpPushedAuthorizeUrl(h, params);
  expect([...new URL(login.url).searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
  return login;
}

describe('discovery advertises what Portvagt offers and tests, nothing more', () => {
  it('pins every list of the discovery document', async () => {
    const meta = (await (await fetch(`${h.base}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(meta).toMatchObject({
      // The three methods a client can be configured with (tested here and in provider.test.ts).
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      // private_key_jwt with an RSA key (here) or a P-256 key (provider.test.ts).
      token_endpoint_auth_signing_alg_values_supported: ['RS256', 'ES256'],
      // Portvagt's signing keys are RSA (key-rotation tests verify them through the JWKS).
      id_token_signing_alg_values_supported: ['RS256'],
      // The code flow with PKCE S256 only (login tests; a request without PKCE is refused).
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      // oidc-provider always offers all three; each delivers the code (tested below).
      response_modes_supported: ['form_post', 'fragment', 'query'],
      // Logins and the management API's client credentials (api tests).
      grant_types_supported: ['authorization_code', 'client_credentials'],
      scopes_supported: ['openid', 'profile', 'email', 'portvagt:manage'],
      subject_types_supported: ['public'],
      claim_types_supported: ['normal'],
      // An essential `acr` in the claims parameter is one way to ask for a level (release-rules tests).
      claims_parameter_supported: true,
      // RFC 9207: every answer to the RP names the issuer (ways-back tests).
      authorization_response_iss_parameter_supported: true,
      // No request objects, by value or by reference (request-errors tests).
      request_uri_parameter_supported: false,
      // PAR is kept (tested below).
      pushed_authorization_request_endpoint: `${h.base}/request`,
    });
    // Request objects off: absent means false (OpenID Connect Discovery 1.0 §3).
    expect(meta.request_parameter_supported ?? false).toBe(false);
    // DPoP off: the management API takes bearer tokens only (docs/relying-parties.md).
    expect(meta).not.toHaveProperty('dpop_signing_alg_values_supported');
    for (const off of ['registration_endpoint', 'introspection_endpoint', 'device_authorization_endpoint', 'backchannel_authentication_endpoint', 'mtls_endpoint_aliases']) {
      expect(meta, off).not.toHaveProperty(off);
    }
  });

  it('accepts private_key_jwt signed with an RSA key', async () => {
    const account = await linkedAccount(h, 'nemid', identities.nemid[1]!.sub);
    const rsaRp = await client.discovery(new URL(h.base), 'rsa-rp', { token_endpoint_auth_method: 'private_key_jwt' }, client.PrivateKeyJwt(rsaKey), { execute: [client.allowInsecureRequests] });
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h, {}, rsaRp);
    const back = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'nemid'), identities.nemid[1]!.sub);
    expect((await rpExchange(h, login, back.url, rsaRp)).claims()!.sub).toBe(account.id);
  });

  it('delivers the code by form_post and in the fragment as well as in the query', async () => {
    const subject = identities.mitid[1]!.sub;
    const account = await linkedAccount(h, 'mitid', subject);
    const posted = await rpAuthorizeUrl(h, { response_mode: 'form_post' });
    const browserA = new Browser();
    const page = await upstreamLogin(browserA, await chooseMethod(browserA, await openAuthorize(browserA, posted), 'mitid'), subject);
    const form = readForms(page.body, page.url).find((f) => f.action === RP_REDIRECT)!;
    expect(form.method).toBe('post');
    const postedBack = `${RP_REDIRECT}?${new URLSearchParams(form.fields).toString()}`;
    expect((await rpExchange(h, posted, postedBack)).claims()!.sub).toBe(account.id);

    const fragment = await rpAuthorizeUrl(h, { response_mode: 'fragment' });
    const browserB = new Browser();
    const back = await upstreamLogin(browserB, await chooseMethod(browserB, await openAuthorize(browserB, fragment), 'mitid'), subject);
    const url = new URL(back.url);
    expect(url.search).toBe('');
    expect((await rpExchange(h, fragment, `${RP_REDIRECT}?${url.hash.slice(1)}`)).claims()!.sub).toBe(account.id);
  });
});

describe('pushed authorization requests (PAR) carry Portvagt\'s own parameters', () => {
  it('login_method pushed skips the chooser and lands at the NemID mock; the login completes', async () => {
    const subject = identities.nemid[0]!.sub;
    await linkedAccount(h, 'nemid', subject);
    const browser = new Browser();
    const login = await pushedAuthorizeUrl({ login_method: 'nemid' });
    const mockPage = await openAuthorize(browser, login);
    expect(mockPage.url.startsWith(h.issuerOf('nemid'))).toBe(true);
    const back = await upstreamLogin(browser, mockPage, subject);
    expect((await rpExchange(h, login, back.url)).claims()!.amr).toEqual(['nemid']);
  });

  it('an unknown tenant pushed gets the same page as in the query: 3008', async () => {
    const viaQuery = await openAuthorize(new Browser(), await rpAuthorizeUrl(h, { tenant: 'nope' }));
    const viaPar = await openAuthorize(new Browser(), await pushedAuthorizeUrl({ tenant: 'nope' }));
    expect(errorCode(viaQuery)).toBe(3008);
    expect(errorCode(viaPar)).toBe(3008);
    expect(viaPar.status).toBe(viaQuery.status);
  });

  it('action and ui_locales pushed reach the flow: an English first-time login', async () => {
    const browser = new Browser();
    const chooser = await openAuthorize(browser, await pushedAuthorizeUrl({ action: 'first-login', ui_locales: 'en' }));
    expect(chooser.body).toMatch(/<html lang="en"/);
    // An identity linked to no account, in a first-time login, gets the invitation form (not 6001).
    const form = await upstreamLogin(browser, await chooseMethod(browser, chooser, 'mitid'), identities.mitid[2]!.sub);
    expect(readForms(form.body, form.url).some((f) => f.action.endsWith('/first-login'))).toBe(true);
  });

  it('acr_values pushed is the level the login must reach: Substantial falls short of High (5502)', async () => {
    const subject = identities.mitid[0]!.sub; // level Substantial
    await linkedAccount(h, 'mitid', subject);
    const browser = new Browser();
    const login = await pushedAuthorizeUrl({ acr_values: 'https://data.gov.dk/concept/core/nsis/loa/High' });
    const page = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'mitid'), subject);
    expect(errorCode(page)).toBe(5502);
  });
});
