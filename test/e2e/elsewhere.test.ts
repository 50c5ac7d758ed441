import { describe, expect, it } from 'vitest';
import { useDemoBroker } from './support/demo-broker.ts';
import { DEMO_ACTIONS, expectChooser, expectCodePage, startAtDemo } from './support/steps.ts';
import { VARIANTS, useChromium, walk, walkRefusingCookies, type Walk } from './support/walk.ts';

const browser = useChromium();

/** The address the mock MitID sends the browser back to after a login as `identity`, without the browser going there. */
async function callbackNotFollowed(w: Walk, base: string, identity: string): Promise<string> {
  let callback = '';
  // The browser's own redirects are not routed: the login form's answer is followed here, hop by hop, with its cookies.
  await w.page.route(
    (url) => url.pathname.startsWith('/mock/mitid/') && url.pathname.endsWith('/login'),
    async (route) => {
      let location = (await route.fetch({ maxRedirects: 0 })).headers().location;
      while (location && !location.includes('/callback/')) location = (await w.page.context().request.get(new URL(location, base).href, { maxRedirects: 0 })).headers().location;
      callback = new URL(location ?? '', base).href;
      await route.fulfill({ status: 204 });
    },
  );
  await w.page.getByRole('button', { name: identity, exact: true }).click();
  await expect.poll(() => callback).toContain('/callback/mitid');
  return callback;
}

describe.each(VARIANTS)('a login that cannot go on in this browser, for a user on $name', (variant) => {
  const demo = useDemoBroker();

  /** On an error page for this browser: the way back to the system starts over there. */
  async function backToTheSystem(w: Walk): Promise<void> {
    expect(await w.page.getByRole('button', { name: w.t('ui.errorPage.tryAgain') }).count()).toBe(0);
    await w.click(w.t('ui.errorPage.backToSystem', { system: demo.system }), 'link');
    expect(new URL(w.page.url()).pathname).toBe('/demo');
    await w.check('demo-again');
  }

  it('MitID returns to another browser: the page says where the login ended, and the way back starts over there', () =>
    walk(browser(), 'other-browser', variant, async (w) => {
      await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
      await w.click('MitID');
      // The phone's MitID app returns to another browser: the first never sees the callback.
      const callback = await callbackNotFollowed(w, demo.base, 'Mette Jensen');
      await walk(browser(), 'other-browser-phone', variant, async (phone) => {
        await phone.page.goto(callback);
        const text = await expectCodePage(phone, 3002, 'codes.3002.variants.otherBrowser', demo.system, { system: demo.system });
        expect(text).toContain(phone.t('codes.3002.variants.otherBrowser.action', { system: demo.system }).split('\n')[0]);
        await phone.check('other-browser');
        await backToTheSystem(phone);
        expect(await phone.page.locator('[data-claims]').count()).toBe(0);
      });
    }));

  it('a browser that refuses cookies is told so when it opens the chooser', () =>
    walkRefusingCookies('cookies-refused', variant, async (w) => {
      await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
      await expectCodePage(w, 3002, 'codes.3002.variants.cookies', demo.system, { system: demo.system });
      await w.check('cookies');
      await backToTheSystem(w);
    }));

  it("the browser's cookie is gone when the user chooses a method: said so, not an expiry", () =>
    walk(browser(), 'cookie-gone', variant, async (w) => {
      await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
      await expectChooser(w, 'ui.chooser.login', demo.system);
      await w.page.context().clearCookies();
      await w.click('MitID');
      await expectCodePage(w, 3002, 'codes.3002.variants.cookies', demo.system, { system: demo.system });
      await w.check('cookie-gone');
      await backToTheSystem(w);
    }));

  it('an error page address that leads nowhere says "the link does not exist"', () =>
    walk(browser(), 'unknown-link', variant, async (w) => {
      await w.page.goto(`${demo.base}/error/AAAAAAAAAAAAAAAAAAAAAA`);
      await expectCodePage(w, 3002, 'codes.3002.variants.unknownLink', 'Portvagt', { system: w.t('ui.errorPage.yourSystem') });
      await w.check('unknown-link');
    }));
});
