import { describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/i18n.ts';
import { Browser } from '../helpers/browser.ts';
import { chooseMethod, identities, linkedAccount, openAuthorize, RP_REDIRECT, rpAuthorizeUrl, rpExchange, toRp, useHarness, type RpLogin } from '../helpers/harness.ts';
import { callbackUrlOf, expectRefused, stopAtCallback, withParams } from './helpers/attack.ts';

const h = useHarness();

const mitid = identities.mitid;
const nemid = identities.nemid;

/** The callback URL followed: it reaches the RP, and its code gives a login with the identity's MitID authenticators. */
async function expectLoggedIn(browser: Browser, callbackUrl: string, login: RpLogin, identity: { amr?: readonly string[] }): Promise<void> {
  const back = await browser.get(callbackUrl, { until: toRp });
  expect(back.url.startsWith(RP_REDIRECT)).toBe(true);
  expect((await rpExchange(h, login, back.url)).claims()?.amr).toEqual(['mitid', ...identity.amr!]);
}

describe('attacks on the upstream callback', () => {
  it('a replayed callback shows "already finished" and issues no second code', async () => {
    await linkedAccount(h, 'mitid', mitid[0]!.sub);
    const browser = new Browser();
    const { login, callbackUrl } = await callbackUrlOf(h, browser, 'mitid', mitid[0]!.sub);
    const first = await browser.get(callbackUrl, { until: toRp });
    expect(first.url.startsWith(RP_REDIRECT)).toBe(true);
    const replay = await browser.get(callbackUrl, { until: toRp });
    expect(replay.url.startsWith(RP_REDIRECT)).toBe(false);
    expect(replay.body).toContain(translate('da', 'ui.finished.heading'));
    expect((await rpExchange(h, login, first.url)).claims()?.amr).toEqual(['mitid', ...mitid[0]!.amr!]);
  });

  it("another flow's state with this flow's code is refused", async () => {
    await linkedAccount(h, 'nemid', nemid[0]!.sub);
    const browser = new Browser();
    const a = await callbackUrlOf(h, browser, 'nemid', nemid[0]!.sub);
    const b = await callbackUrlOf(h, browser, 'nemid', nemid[0]!.sub);
    const spliced = withParams(a.callbackUrl, { state: new URL(b.callbackUrl).searchParams.get('state') });
    // The code of A was bound (PKCE) to A's verifier: exchanging it as B's fails at the upstream.
    expectRefused(await browser.get(spliced, { until: toRp }), 3004);
  });

  it("a state from another browser session is refused, and the owner's login still finishes", async () => {
    const account = await linkedAccount(h, 'mitid', mitid[1]!.sub);
    const owner = new Browser();
    const attacker = new Browser();
    const { login, callbackUrl } = await callbackUrlOf(h, owner, 'mitid', mitid[1]!.sub);
    expectRefused(await attacker.get(callbackUrl, { until: toRp }), 3002);
    const back = await owner.get(callbackUrl, { until: toRp });
    expect(back.url.startsWith(RP_REDIRECT)).toBe(true);
    expect((await rpExchange(h, login, back.url)).claims()?.sub).toBe(account.id);
  });

  it('a state altered in its random part or its MAC is refused, and the real callback still finishes', async () => {
    await linkedAccount(h, 'mitid', mitid[2]!.sub);
    const browser = new Browser();
    const { login, callbackUrl } = await callbackUrlOf(h, browser, 'mitid', mitid[2]!.sub);
    const [uid, random, mac] = new URL(callbackUrl).searchParams.get('state')!.split('.');
    expectRefused(await browser.get(withParams(callbackUrl, { state: `${uid}.${random}A.${mac}` }), { until: toRp }), 3002);
    expectRefused(await browser.get(withParams(callbackUrl, { state: `${uid}.${random}.${mac!.slice(1)}A` }), { until: toRp }), 3002);
    await expectLoggedIn(browser, callbackUrl, login, mitid[2]!);
  });

  it("an earlier upstream attempt's callback is refused, and the flow still finishes with the latest attempt", async () => {
    await linkedAccount(h, 'mitid', mitid[3]!.sub);
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h);
    const chooser = await openAuthorize(browser, login);
    const earlier = await chooseMethod(browser, chooser, 'mitid');
    // Back to the chooser, and the same method chosen again: a new upstream login with a new state.
    const latest = await chooseMethod(browser, await browser.get(chooser.url), 'mitid');
    const earlierCallback = await stopAtCallback(browser, earlier, mitid[3]!.sub);
    const latestCallback = await stopAtCallback(browser, latest, mitid[3]!.sub);
    expectRefused(await browser.get(earlierCallback, { until: toRp }), 3002);
    await expectLoggedIn(browser, latestCallback, login, mitid[3]!);
  });

  it("mix-up: upstream A's response delivered to upstream B's callback is refused", async () => {
    await linkedAccount(h, 'nemid', nemid[1]!.sub);
    const browser = new Browser();
    const { callbackUrl } = await callbackUrlOf(h, browser, 'mitid', mitid[0]!.sub);
    expectRefused(await browser.get(callbackUrl.replace('/callback/mitid', '/callback/nemid'), { until: toRp }), 3003);

    // The other way round: B is the upstream this flow went to, but the code and `iss` come from A.
    const fromA = await callbackUrlOf(h, browser, 'mitid', mitid[0]!.sub);
    const atB = await callbackUrlOf(h, browser, 'nemid', nemid[1]!.sub);
    const mixed = withParams(atB.callbackUrl, { code: new URL(fromA.callbackUrl).searchParams.get('code'), iss: h.issuerOf('mitid') });
    expectRefused(await browser.get(mixed, { until: toRp }), 3005);
  });

  it('a callback without `iss`, or with another issuer, is refused', async () => {
    await linkedAccount(h, 'nemid', nemid[2]!.sub);
    const browser = new Browser();
    const missing = await callbackUrlOf(h, browser, 'nemid', nemid[2]!.sub);
    expectRefused(await browser.get(withParams(missing.callbackUrl, { iss: null }), { until: toRp }), 3005);
    const wrong = await callbackUrlOf(h, browser, 'nemid', nemid[2]!.sub);
    expectRefused(await browser.get(withParams(wrong.callbackUrl, { iss: 'https://evil.example' }), { until: toRp }), 3005);
    const forgedError = await callbackUrlOf(h, browser, 'nemid', nemid[2]!.sub);
    const errorWithOtherIss = withParams(forgedError.callbackUrl, { code: null, iss: 'https://evil.example', error: 'access_denied', nemid_error: 'LOCK001' });
    expectRefused(await browser.get(errorWithOtherIss, { until: toRp }), 3005);
    // A success answer must carry `iss` even when an error answer need not.
    const codeAndError = await callbackUrlOf(h, browser, 'nemid', nemid[2]!.sub);
    expectRefused(await browser.get(withParams(codeAndError.callbackUrl, { iss: null, error: 'access_denied' }), { until: toRp }), 3005);
  });

  it('an error answer without `iss` for this browser’s pending login is the upstream’s answer, not an attack', async () => {
    const browser = new Browser();
    const pending = await callbackUrlOf(h, browser, 'nemid', nemid[2]!.sub);
    const errorWithoutIss = withParams(pending.callbackUrl, { code: null, iss: null, error: 'access_denied', nemid_error: 'LOCK001' });
    expectRefused(await browser.get(errorWithoutIss, { until: toRp }), 5502);
    // The same answer in another browser has no pending login there.
    const other = await callbackUrlOf(h, browser, 'nemid', nemid[2]!.sub);
    const elsewhere = withParams(other.callbackUrl, { code: null, iss: null, error: 'access_denied' });
    expectRefused(await new Browser().get(elsewhere, { until: toRp }), 3002);
  });
});
