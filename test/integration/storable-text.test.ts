import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { storableText } from '../../src/store/storable-text.ts';
import { Browser, type Page } from '../helpers/browser.ts';
import { hostileText } from '../helpers/hostile-text.ts';
import { chooseMethod, errorCode, identities, openAuthorize, rpAuthorizeUrl, toRp, upstreamLogin, useHarness } from '../helpers/harness.ts';

// On SQLite, or on PostgreSQL when DATABASE_URL is set: the same texts are refused on both.
const h = useHarness();

let counter = 0;

describe('texts a user sends, checked for what the database can store', () => {
  it('whatever storableText lets through, the database stores and gives back exactly', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, async (text) => {
        if (!storableText(text, 200) || text.trim() !== text || text === '') return;
        const account = await h.portvagt.accounts.create({ tenant: 'acme', username: `stored.${++counter}`, displayName: text });
        expect((await h.portvagt.accounts.find(account.id))?.display_name).toBe(text);
      }),
      { numRuns: 150, examples: [['a\u00e6\u{1F600}b'], ['x'.repeat(200)]] },
    );
  });

  it('refuses NUL, lone surrogates and overlong texts', () => {
    for (const text of ['a\0b', '\uD800', 'x\uDC00y', '\uDBFF', 'x'.repeat(201)]) expect(storableText(text, 200), JSON.stringify(text)).toBe(false);
    for (const text of ['', 'a b', '\u{1F600}', 'x'.repeat(200)]) expect(storableText(text, 200), JSON.stringify(text)).toBe(true);
  });

  it('the first-time login form answers any username and password with 5007, never a server error', async () => {
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h, { action: 'first-login' });
    let form: Page = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'nemid'), identities.nemid[2]!.sub);
    await fc.assert(
      fc.asyncProperty(hostileText, hostileText, async (username, password) => {
        form = await browser.submit(form, { form: (f) => f.action.endsWith('/first-login'), fields: { username, password }, until: toRp });
        expect({ status: form.status, code: errorCode(form) }, JSON.stringify(username)).toEqual({ status: 401, code: 5007 });
      }),
      // The form allows 30 tries per address in 15 minutes (refused the same way after that).
      { numRuns: 20, examples: [['a\0b', 'secret'], ['a', 'b\0'], ['\0', '\0'], ['x'.repeat(201), 'y']] },
    );
  });
});
