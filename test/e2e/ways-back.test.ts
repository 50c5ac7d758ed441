import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoBroker, type DemoBroker } from './support/demo-broker.ts';
import { DEMO_ACTIONS, demoClaims, expectChooser, expectErrorPage, expectPortvagtPage, failAtMock, loginAtMock, startAtDemo } from './support/steps.ts';
import { VARIANTS, launchChromium, walk, Walk } from './support/walk.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(VARIANTS)('every way back, for a user on $name', (variant) => {
  let demo: DemoBroker;
  beforeAll(async () => {
    demo = await startDemoBroker();
  });
  afterAll(async () => {
    await demo?.portvagt.close();
  });

  const other = (w: Walk) => (w.variant.lang === 'da' ? { name: 'English', lang: 'en' } : { name: 'Dansk', lang: 'da' });

  it('logs in in a second tab, then finishes the login of the first tab too', () =>
    walk(browser, 'two-tabs', variant, async (w) => {
      await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
      await expectChooser(w, 'ui.chooser.login', demo.system);
      const tabB = new Walk(await w.page.context().newPage(), 'two-tabs-b', variant);
      await startAtDemo(tabB, demo.base, DEMO_ACTIONS.login);
      await tabB.click('MitID');
      await loginAtMock(tabB, 'Mette Jensen');
      expect((await demoClaims(tabB)).preferred_username).toBe('mette.jensen');
      await w.page.bringToFront();
      // The first tab's chooser still works after the second tab's login: no 3000, and a login of its own.
      await w.click('MitID');
      await loginAtMock(w, 'Mette Jensen');
      expect((await demoClaims(w)).preferred_username).toBe('mette.jensen');
    }));

  it('presses back twice after logging in: "already finished", with a way to the system', () =>
    walk(browser, 'back-after-login', variant, async (w) => {
      await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
      await w.click('MitID');
      await loginAtMock(w, 'Mette Jensen');
      await demoClaims(w);
      await w.page.goBack();
      await w.page.goBack();
      await expectPortvagtPage(w, w.t('ui.finished.title'), demo.system);
      expect(await w.page.locator('main').getAttribute('data-error-code')).toBeNull();
      await w.check('already-finished');
      await w.click(w.t('ui.finished.back', { system: demo.system }), 'link');
      expect(new URL(w.page.url()).pathname).toBe('/demo');
    }));

  it('presses back in the middle of a first-time login and is shown the form again', () =>
    walk(browser, 'back-mid-flow', variant, async (w) => {
      await startAtDemo(w, demo.base, DEMO_ACTIONS.firstLogin);
      await w.click('NemID');
      await loginAtMock(w, 'Anna Hansen');
      await expectPortvagtPage(w, w.t('ui.firstLogin.title'), demo.system);
      const formUrl = w.page.url();
      await w.page.goBack();
      await w.page.goBack();
      await w.page.waitForURL(formUrl);
      await expectPortvagtPage(w, w.t('ui.firstLogin.title'), demo.system);
      await w.check('form-again');
    }));

  it('reloads an error page and switches its language: same code, same reference', () =>
    walk(browser, 'error-reload', variant, async (w) => {
      await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
      await w.click('NemID');
      await failAtMock(w, 'LOCK001');
      await expectErrorPage(w, 5502, 'nemid.quarantine', demo.system, 'NemID');
      const reference = await w.page.locator('.reference-id').innerText();
      await w.page.reload();
      expect(await w.page.locator('.reference-id').innerText()).toBe(reference);
      await w.check('reloaded');
      const { name, lang } = other(w);
      await w.click(name, 'link');
      expect(await w.page.locator('html').getAttribute('lang')).toBe(lang);
      expect(await w.page.locator('main').getAttribute('data-error-code')).toBe('5502');
      expect(await w.page.locator('.reference-id').innerText()).toBe(reference);
      await w.check('switched');
    }));

  it('opens the help page as a first visit and switches its language', () =>
    walk(browser, 'help-first-visit', variant, async (w) => {
      await w.page.goto(`${demo.base}/help/errors`);
      await expectPortvagtPage(w, w.t('ui.help.title'), 'Portvagt');
      await w.check('help');
      const { name, lang } = other(w);
      await w.click(name, 'link');
      expect(new URL(w.page.url()).pathname).toBe('/help/errors');
      expect(await w.page.locator('html').getAttribute('lang')).toBe(lang);
      expect(await w.page.locator('main').getAttribute('data-error-code')).toBeNull();
      await w.check('help-switched');
    }));
});
