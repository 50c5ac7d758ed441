/**
 * One complete login as a browser and an RP would do it, without a browser: authorize, (chooser and
 * upstream for Portvagt, or a release from the browser's single sign-on session), callback, code, token
 * exchange and a verified ID token. Throws on anything else.
 */
import * as client from 'openid-client';
import { Browser, readForm } from '../support/browser.ts';
import { pkceChallenge } from '../src/upstream/pkce.ts';
import { upstreamFetch } from '../src/upstream/upstream-fetch.ts';
import type { BenchClient } from './clients.ts';
import { httpTransport } from './http-transport.ts';

export interface Rp {
  config: client.Configuration;
  redirectUri: string;
}

/** An RP of `issuer` that checks the ID token's signature too, not only its claims. */
export async function connectRp(issuer: string, id: string, secret: string, redirectUri: string): Promise<Rp> {
  const config = await client.discovery(new URL(issuer), id, secret, undefined, {
    execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks],
    [client.customFetch]: upstreamFetch,
  });
  return { config, redirectUri };
}

/** An RP for each of `clients` at `issuer`. */
export function connectRps(issuer: string, clients: BenchClient[]): Promise<Rp[]> {
  return Promise.all(clients.map((c) => connectRp(issuer, c.id, c.secret, c.redirectUri)));
}

async function authorize(rp: Rp) {
  const state = client.randomState();
  const nonce = client.randomNonce();
  const verifier = client.randomPKCECodeVerifier();
  const url = client.buildAuthorizationUrl(rp.config, {
    redirect_uri: rp.redirectUri,
    scope: 'openid profile',
    state,
    nonce,
    code_challenge: pkceChallenge(verifier),
    code_challenge_method: 'S256',
  });
  return { url: url.href, state, nonce, verifier };
}

async function redeem(rp: Rp, login: Awaited<ReturnType<typeof authorize>>, callbackUrl: string, expectedSub?: string): Promise<void> {
  if (!callbackUrl.startsWith(rp.redirectUri)) throw new Error(`login did not reach the RP: ${callbackUrl}`);
  const tokens = await client.authorizationCodeGrant(rp.config, new URL(callbackUrl), { pkceCodeVerifier: login.verifier, expectedState: login.state, expectedNonce: login.nonce });
  const sub = tokens.claims()?.sub;
  if (!sub || (expectedSub && sub !== expectedSub)) throw new Error(`unexpected subject ${sub}`);
}

/**
 * Portvagt: chooser → the mock's login form (its page is skipped, its form posted) → callback → code,
 * in a new browser, which it returns with its single sign-on session.
 */
export async function brokeredLogin(rp: Rp, upstreamIssuer: string, subject: string): Promise<Browser> {
  const browser = new Browser({}, httpTransport);
  const login = await authorize(rp);
  const toRp = (url: string) => url.startsWith(rp.redirectUri);
  const chooser = await browser.get(login.url, { until: toRp });
  if (chooser.status !== 200) throw new Error(`chooser answered ${chooser.status}`);
  const atUpstream = await browser.submit(chooser, {
    form: (f) => f.action.endsWith('/method'),
    button: { name: 'method', value: 'mitid' },
    until: (url) => url.startsWith(`${upstreamIssuer}/interaction/`),
  });
  if (!atUpstream.stopped) throw new Error(`choosing MitID answered ${atUpstream.status}`);
  const back = await browser.post(`${atUpstream.url}/login`, { identity: subject }, { until: toRp });
  await redeem(rp, login, back.url);
  return browser;
}

/**
 * A login that shows no page: the bare provider's in a new browser (its interaction finishes at once),
 * or Portvagt's single sign-on release in a browser with a session (no chooser, no upstream).
 */
export async function plainLogin(rp: Rp, browser = new Browser({}, httpTransport)): Promise<void> {
  const login = await authorize(rp);
  const back = await browser.get(login.url, { until: (url) => url.startsWith(rp.redirectUri) });
  await redeem(rp, login, back.url);
}

/** Plain logins at each of `rps` in turn: the baseline's share of a working day. */
export function plainLogins(rps: Rp[]): () => Promise<void> {
  let next = 0;
  return () => plainLogin(rps[next++ % rps.length]!);
}

/** A 3000 page: an address Portvagt does not have. */
export async function errorPage(base: string): Promise<void> {
  const response = await httpTransport(new URL(`${base}/no/such/address`), 'GET', {}, undefined);
  if (response.status !== 404) throw new Error(`error page answered ${response.status}`);
}

/** A chooser page for a flow of its own, fetched again and again (each GET re-renders it). */
export async function chooserPage(rp: Rp): Promise<() => Promise<void>> {
  const browser = new Browser({}, httpTransport);
  const login = await authorize(rp);
  const first = await browser.get(login.url, { follow: true });
  readForm(first.body, first.url, (f) => f.action.endsWith('/method'));
  return async () => {
    const page = await browser.get(first.url);
    if (page.status !== 200) throw new Error(`chooser answered ${page.status}`);
  };
}
