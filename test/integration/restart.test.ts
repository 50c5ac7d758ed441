import { afterAll, describe, expect, it } from 'vitest';
import { Browser } from '../helpers/browser.ts';
import { chooseMethod, identities, linkedAccount, openAuthorize, rpAuthorizeUrl, rpExchange, startHarness, upstreamLogin, type Harness } from '../helpers/harness.ts';

const running: Harness[] = [];
afterAll(async () => {
  for (const h of running.reverse()) await h.close();
});

describe('a restart of the broker', () => {
  it('between authorize and callback still completes the login, and tokens verify with the persisted keys', async () => {
    const first = await startHarness();
    running.push(first);
    const subject = identities.nemid[1]!.sub;
    const account = await linkedAccount(first, 'nemid', subject);
    const browser = new Browser();
    const login = await rpAuthorizeUrl(first);
    const mockPage = await chooseMethod(browser, await openAuthorize(browser, login), 'nemid');
    const keysBefore = await (await fetch(`${first.base}/jwks`)).json();

    await first.stopBroker();
    const second = await startHarness({ restartOf: first });
    running.push(second);

    const back = await upstreamLogin(browser, mockPage, subject);
    expect(back.stopped).toBe(true);
    const tokens = await rpExchange(second, login, back.url);
    expect(tokens.claims()!.sub).toBe(account.id);
    expect(await (await fetch(`${second.base}/jwks`)).json()).toEqual(keysBefore);
  });
});
