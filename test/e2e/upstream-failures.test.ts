import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDialect } from '../../src/upstream/dialects/index.ts';
import { startDemoBroker, type DemoBroker } from './support/demo-broker.ts';
import { DEMO_ACTIONS, expectChooser, expectErrorPage, expectPortvagtPage, failAtMock, startAtDemo } from './support/steps.ts';
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
    await expectErrorPage(w, row.code, row.guidance, demo.system);
    return row.code;
  }

  it('is told NemID blocked them for 8 hours (LOCK001), and can try again from the chooser', () =>
    walk(browser, 'nemid-lock001', variant, async (w) => {
      await failAt(w, 'NemID', 'LOCK001', 'nemid');
      await w.click(w.t('ui.errorPage.tryAgain'), 'link');
      await expectChooser(w, 'ui.chooser.login', demo.system);
      await w.check('chooser-again');
    }));

  it('who cancelled at MitID is back on the chooser with a notice, then leaves with "Annullér" and the system says so', () =>
    walk(browser, 'mitid-cancel', variant, async (w) => {
      await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
      await w.click('MitID');
      await failAtMock(w, 'cancel');
      await expectChooser(w, 'ui.chooser.login', demo.system);
      expect(await w.page.getByRole('status').innerText()).toBe(w.t('ui.chooser.cancelled', { method: 'MitID', system: demo.system }));
      await w.check('chooser-after-cancel');
      await w.click(w.t('ui.layout.cancel', { system: demo.system }));
      expect(new URL(w.page.url()).pathname).toBe('/demo');
      expect(await w.page.locator('[data-rp-error]').innerText()).toContain('Du annullerede login');
      await w.check('back-at-system');
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
