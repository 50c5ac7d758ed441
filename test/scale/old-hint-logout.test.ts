import { decodeProtectedHeader } from 'jose';
import * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import { keyLifecycle, rotateSigningKey } from '../../src/provider/signing-keys.ts';
import { sessionTtl } from '../../src/provider/token-lifetimes.ts';
import { Browser } from '../helpers/browser.ts';
import { chooseMethod, errorCode, identities, linkedAccount, openAuthorize, RP_REDIRECT, rpAuthorizeUrl, rpExchange, upstreamLogin, useHarness } from '../helpers/harness.ts';

const h = useHarness();
const HOUR = 3600_000;

const publishedKids = async () => ((await (await fetch(`${h.base}/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);

/** RP-initiated logout with the hint; where the browser ends: the RP's address, or a Portvagt page. */
async function logOut(browser: Browser, idToken: string, state: string) {
  const confirm = await browser.get(client.buildEndSessionUrl(h.rp, { id_token_hint: idToken, post_logout_redirect_uri: RP_REDIRECT, state }).href, { until: (url) => url.startsWith(RP_REDIRECT), headers: { accept: 'text/html' } });
  return confirm.status === 200 && !errorCode(confirm) ? browser.submit(confirm, { until: (url) => url.startsWith(RP_REDIRECT) }) : confirm;
}

describe('logout with an ID token signed by a key retired since (RP-Initiated Logout 1.0 §2)', () => {
  it('logs out while the session could last, with the key unpublished and never signing again', { timeout: 60_000 }, async () => {
    const subject = identities.mitid[0]!.sub;
    await linkedAccount(h, 'mitid', subject);
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h);
    const back = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'mitid'), subject);
    const oldToken = (await rpExchange(h, login, back.url)).id_token!;
    const oldKid = decodeProtectedHeader(oldToken).kid!;

    // The operator rotates: the next key signs at once, the old one is retired.
    const { kid } = await rotateSigningKey(h.portvagt.durable.db, h.portvagt.durable.dialect, keyLifecycle(h.config, h.clock), 0);
    // A working day later, well past the ID token's life and the key's publication.
    h.clock.advance(sessionTtl(h.config) * 1000 - HOUR);
    await h.portvagt.refreshKeys();
    expect(await publishedKids()).toEqual([kid]);

    const out = await logOut(browser, oldToken, 'old-hint');
    expect(out.url.startsWith(RP_REDIRECT)).toBe(true);
    expect(new URL(out.url).searchParams.get('state')).toBe('old-hint');

    // A new login's ID token is signed with the new key only.
    const again = await rpAuthorizeUrl(h);
    const backAgain = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, again), 'mitid'), subject);
    expect(decodeProtectedHeader((await rpExchange(h, again, backAgain.url)).id_token!).kid).toBe(kid);
    expect(kid).not.toBe(oldKid);

    // Once no session it belonged to can still be alive, the key is gone and the hint is refused (3000).
    h.clock.advance(2 * HOUR);
    await h.portvagt.refreshKeys();
    expect(errorCode(await logOut(browser, oldToken, 'too-old'))).toBe(3000);
  });
});
