import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDialect } from '../../src/upstream/dialects/index.ts';
import { startDemoBroker, type DemoBroker } from './support/demo-broker.ts';
import { cancelAtMock, DEMO_ACTIONS, expectChooser, expectErrorPage, expectPortvagtPage, failAtMock, startAtDemo } from './support/steps.ts';
import { VARIANTS, launchChromium, walk, type Walk } from './support/walk.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** What Portvagt should make of an upstream's reason: the code and guidance of its dialect's table. */
function expected(dialect: string, reason: string) {
  const row = getDialect(dialect).rows[reason];
  if (!row) throw new Error(`the ${dialect} dialect has no reason ${reason}`);
  return row;
}

describe.each(VARIANTS)('a user on $name', (variant) => {
  let demo: DemoBroker;
  beforeAll(async () => {
    demo = await startDemoBroker();
  });
  afterAll(async () => {
    await demo?.portvagt.close();
  });

  async function failAt(w: Walk, method: string, reason: string, dialect: string): Promise<number> {
    const row = expected(dialect, reason);
    await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
    await w.check('chooser');
    await w.click(method);
    await failAtMock(w, reason);
    await expectErrorPage(w, row.code, row.guidance, demo.system, method);
    return row.code;
  }

  it('is told NemID locked them for 8 hours (LOCK001), gets no retry button but NemID support, and can choose another method', () =>
    walk(browser, 'nemid-lock001', variant, async (w) => {
      await failAt(w, 'NemID', 'LOCK001', 'nemid');
      expect(await w.page.getByRole('link', { name: w.t('ui.errorPage.tryAgain'), exact: true }).count()).toBe(0);
      const contact = w.page.locator('.contact');
      expect(await contact.getByRole('heading').innerText()).toBe(w.t('ui.errorPage.contactHeading', { name: w.variant.lang === 'da' ? 'NemID-support' : 'NemID support' }));
      expect(await contact.getByRole('link').first().getAttribute('href')).toMatch(/^https:\/\/www\.nemid\.nu\//);
      await w.click(w.t('ui.errorPage.chooseOther'), 'link');
      await expectChooser(w, 'ui.chooser.login', demo.system);
      await w.check('chooser-again');
    }));

  it('who cancelled at MitID is back on the chooser with a notice, then leaves with "Annullér" and the system says so', () =>
    walk(browser, 'mitid-cancel', variant, async (w) => {
      await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
      await w.click('MitID');
      await cancelAtMock(w);
      await expectChooser(w, 'ui.chooser.login', demo.system);
      expect(await w.page.getByRole('status').innerText()).toBe(w.t('ui.chooser.cancelled', { method: 'MitID', system: demo.system }));
      await w.check('chooser-after-cancel');
      await w.click(w.t('ui.layout.cancel', { system: demo.system }));
      expect(new URL(w.page.url()).pathname).toBe('/demo');
      expect(await w.page.locator('[data-rp-error]').innerText()).toContain('Du annullerede login');
      await w.check('back-at-system');
    }));

  it('who gave up at MitID (authfailed) finds the help for a blocked MitID and comes back into the login', () =>
    walk(browser, 'mitid-help', variant, async (w) => {
      await failAt(w, 'MitID', 'authfailed', 'mitid');
      await w.click(w.t('ui.errorPage.help.mitid'), 'link');
      await expectPortvagtPage(w, w.t('ui.help.title'), 'Portvagt');
      expect(new URL(w.page.url()).hash).toBe('#mitid');
      const section = w.page.locator('#mitid');
      expect(await section.innerText()).toContain(w.t('ui.help.mitid.chip'));
      expect(await section.getByRole('link', { name: w.t('links.mitidAppPin') }).getAttribute('href')).toMatch(/^https:\/\/www\.mitid\.dk\//);
      await w.check('help-mitid');
      await w.click(w.t('ui.help.back'), 'link');
      await expectChooser(w, 'ui.chooser.login', demo.system);
    }));

  it('meets a technical fault at the 2FA (hid_failure) and finds the code on the help page', () =>
    walk(browser, '2fa-hid-failure', variant, async (w) => {
      const code = await failAt(w, 'Nordigo 2FA', 'hid_failure:-1', 'hid');
      await w.click(w.t('ui.errorPage.helpLink'), 'link');
      await expectPortvagtPage(w, w.t('ui.help.title'), 'Portvagt');
      expect(new URL(w.page.url()).hash).toBe(`#${code}`);
      expect(await w.page.locator(`[id="${code}"]`).isVisible()).toBe(true);
      await w.check('help');
    }));
});
