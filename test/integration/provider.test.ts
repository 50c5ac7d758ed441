import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/i18n.ts';
import { keyLifecycle, rotateSigningKey } from '../../src/provider/signing-keys.ts';
import { Browser } from '../helpers/browser.ts';
import { chooseMethod, identities, linkedAccount, openAuthorize, privateKeyJwtClient, RP_REDIRECT, RP_SECRET, rpAuthorizeUrl, rpExchange, startHarness, upstreamLogin, type Harness } from '../helpers/harness.ts';

let h: Harness;
let restarted: Harness | undefined;
let jwtKey: client.CryptoKey;

beforeAll(async () => {
  const jwt = await privateKeyJwtClient('jwt-rp', 'ES256');
  jwtKey = jwt.privateKey;
  h = await startHarness({
    configure: (raw) => {
      const clients = raw.clients as Record<string, unknown>[];
      const base = clients[0]!;
      clients.push(
        { ...base, ...jwt.settings },
        { ...base, client_id: 'post-rp', token_endpoint_auth_method: 'client_secret_post' },
      );
    },
  });
});
afterAll(async () => {
  await restarted?.close();
  await h?.close();
});

const discover = (clientId: string, metadata: Partial<client.ClientMetadata>, auth: client.ClientAuth) =>
  client.discovery(new URL(h.base), clientId, metadata, auth, { execute: [client.allowInsecureRequests] });

async function loginWith(rp: client.Configuration, subject: string) {
  const browser = new Browser();
  const login = await rpAuthorizeUrl(h, {}, rp);
  const back = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'mitid'), subject);
  return rpExchange(h, login, back.url, rp);
}

describe('the OpenID Provider towards systems', () => {
  it('publishes discovery with code flow, PKCE S256 and the three client authentication methods', async () => {
    const meta = h.rp.serverMetadata();
    expect(meta.issuer).toBe(h.base);
    expect(meta.response_types_supported).toEqual(['code']);
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    expect(meta.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['client_secret_basic', 'client_secret_post', 'private_key_jwt']));
    expect(meta.end_session_endpoint).toBe(`${h.base}/session/end`);
  });

  it('advertises the ways a system asks for a level: acr_values with the NSIS URIs, and the claims parameter', async () => {
    const meta = h.rp.serverMetadata();
    expect(meta.acr_values_supported).toEqual(['Low', 'Substantial', 'High'].map((level) => `https://data.gov.dk/concept/core/nsis/loa/${level}`));
    expect(meta.claims_parameter_supported).toBe(true);
    expect(meta.claims_supported).toEqual(expect.arrayContaining(['acr', 'amr', 'auth_time']));
  });

  it('answers its machine endpoints without a browser: no cookie, whatever the request carried', async () => {
    for (const path of ['/.well-known/openid-configuration', '/jwks']) {
      const response = await fetch(`${h.base}${path}`, { headers: { cookie: 'portvagt.browser=AbCdEfGhIjKlMnOpQrStUv-_; portvagt.lang=en' } });
      expect(response.status, path).toBe(200);
      expect(response.headers.getSetCookie(), path).toEqual([]);
    }
  });

  it('accepts private_key_jwt and client_secret_post at the token endpoint, and serves userinfo', async () => {
    const account = await linkedAccount(h, 'mitid', identities.mitid[1]!.sub);
    const jwtRp = await discover('jwt-rp', { token_endpoint_auth_method: 'private_key_jwt' }, client.PrivateKeyJwt(jwtKey));
    const jwtTokens = await loginWith(jwtRp, identities.mitid[1]!.sub);
    expect(jwtTokens.claims()!.sub).toBe(account.id);

    const postRp = await discover('post-rp', { client_secret: RP_SECRET }, client.ClientSecretPost(RP_SECRET));
    const postTokens = await loginWith(postRp, identities.mitid[1]!.sub);
    const userinfo = await client.fetchUserInfo(postRp, postTokens.access_token, account.id);
    expect(userinfo).toMatchObject({ sub: account.id, tenant: 'acme', preferred_username: account.username });
  });

  it('refuses a wrong client secret and a reused code', async () => {
    await linkedAccount(h, 'mitid', identities.mitid[2]!.sub);
    const wrong = await discover('test-rp', {}, client.ClientSecretBasic('not-the-secret-000'));
    await expect(loginWith(wrong, identities.mitid[2]!.sub)).rejects.toMatchObject({ status: 401, cause: [{ parameters: { error: 'invalid_client' } }] });

    const browser = new Browser();
    const login = await rpAuthorizeUrl(h);
    const back = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'mitid'), identities.mitid[2]!.sub);
    await rpExchange(h, login, back.url);
    await expect(rpExchange(h, login, back.url)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('ends the session at the RP-initiated logout and returns to the registered address', async () => {
    const account = await linkedAccount(h, 'nemid', identities.nemid[1]!.sub);
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h);
    const back = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'nemid'), identities.nemid[1]!.sub);
    const tokens = await rpExchange(h, login, back.url);
    expect(tokens.claims()!.sub).toBe(account.id);
    const logoutUrl = client.buildEndSessionUrl(h.rp, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: RP_REDIRECT, state: 'bye' });
    const confirm = await browser.get(logoutUrl.href);
    expect(confirm.status).toBe(200);
    // The hint comes from this browser's session: the page logs out by itself (its script allowed by
    // the page's nonce), and says which systems it logs out of; its button does the same without a script.
    expect(confirm.body).toContain(translate('da', 'ui.logout.automatic'));
    expect(confirm.body).toMatch(/<li>Test System<\/li>/);
    expect(confirm.headers.get('content-security-policy')).toMatch(/script-src[^;]*'nonce-/);
    const out = await browser.submit(confirm, { form: 'logout-form', button: { name: 'logout', value: 'yes' }, until: (url) => url.startsWith(RP_REDIRECT) });
    expect(out.stopped).toBe(true);
    expect(new URL(out.url).searchParams.get('state')).toBe('bye');
  });

  it('keeps verifying tokens signed before a key rotation', async () => {
    const before = (await (await fetch(`${h.base}/jwks`)).json()) as { keys: { kid: string }[] };
    const { kid } = await rotateSigningKey(h.portvagt.durable.db, h.portvagt.durable.dialect, keyLifecycle(h.config), 0);
    await h.stopBroker();
    restarted = await startHarness({ restartOf: h });
    const after = (await (await fetch(`${restarted.base}/jwks`)).json()) as { keys: { kid: string }[] };
    expect(after.keys[0]!.kid).toBe(kid);
    expect(after.keys.map((k) => k.kid)).toEqual(expect.arrayContaining(before.keys.map((k) => k.kid)));
  });
});
