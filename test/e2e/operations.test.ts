import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagementOperations } from '../../src/accounts/management.ts';
import { setNotice } from '../../src/ops/upstream-notices.ts';
import { startDemoBroker, type DemoBroker } from './support/demo-broker.ts';
import { DEMO_ACTIONS, expectChooser, startAtDemo } from './support/steps.ts';
import { DESKTOP, launchChromium, PHONE, walk, type Variant } from './support/walk.ts';

const VARIANTS: Variant[] = [
  { name: 'da-desktop', lang: 'da', browserLocale: 'da-DK', viewport: DESKTOP },
  { name: 'da-375', lang: 'da', browserLocale: 'da-DK', viewport: PHONE },
  { name: 'en-desktop', lang: 'en', browserLocale: 'en-GB', viewport: DESKTOP },
  { name: 'en-375', lang: 'en', browserLocale: 'en-GB', viewport: PHONE },
];

let browser: Browser;
let demo: DemoBroker;
beforeAll(async () => {
  browser = await launchChromium();
  demo = await startDemoBroker((raw) => void (raw.degraded = { min_answers: 3 }));
  // MitID's recent answers are technical failures; NemID has an operator's maintenance notice.
  for (let i = 0; i < 3; i++) demo.portvagt.health.record('mitid', 'technical');
  const now = Date.now();
  await setNotice(demo.portvagt.store, 'nemid', { text: 'NemID lukker i dag kl. 12–13 for vedligehold.', textEn: 'NemID is closed today 12–13 for maintenance.', setAt: now, until: now + 3_600_000 });
  await demo.portvagt.health.refresh();
});
afterAll(async () => {
  await browser?.close();
  await demo?.portvagt.close();
});

// The walks are short; the time limit leaves room for a machine busy with other suites.
describe('what operators show users', { timeout: 120_000 }, () => {
  for (const variant of VARIANTS) {
    it(`the chooser marks disturbed methods, still clickable, and suggests the others (${variant.name})`, () =>
      walk(browser, 'degraded', variant, async (w) => {
        await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
        await expectChooser(w, 'ui.chooser.login', demo.system);
        const alternatives = w.t('ui.chooser.alternatives', { methods: variant.lang === 'da' ? 'MitID Erhverv eller Nordigo 2FA' : 'MitID Erhverv or Nordigo 2FA' });
        expect(await w.page.locator('[data-notice="mitid"]').innerText()).toBe(`${w.t('ui.chooser.degraded', { method: 'MitID' })} ${alternatives}`);
        const nemid = variant.lang === 'da' ? 'NemID lukker i dag kl. 12–13 for vedligehold.' : 'NemID is closed today 12–13 for maintenance.';
        expect(await w.page.locator('[data-notice="nemid"]').innerText()).toBe(`${nemid} ${alternatives}`);
        // The notice describes its button for screen readers, and the button still works.
        const mitid = w.page.getByRole('button', { name: 'MitID', exact: true });
        expect(await mitid.getAttribute('aria-describedby')).toBe('notice-mitid');
        await w.check('chooser-notice');
        await mitid.click();
        await w.page.waitForURL(/\/mock\/mitid\//);
      }));

    it(`the demo outbox shows the invitation e-mail, as text and as HTML (${variant.name})`, () =>
      walk(browser, 'outbox', variant, async (w) => {
        const account = (await demo.portvagt.accounts.findByUsername('demo', 'ny.bruger'))!;
        const issued = await new ManagementOperations(demo.portvagt).issueInvitation(account, { via: 'cli' }, { clientId: 'demo', locale: variant.lang });
        await w.page.goto(`${demo.base}/demo/outbox`);
        expect(await w.page.locator('html').getAttribute('lang')).toBe(variant.lang);
        const newest = w.page.locator('.outbox-mail').first();
        expect(await newest.locator('pre').innerText()).toContain(issued.password);
        await w.check('outbox');
        await newest.getByRole('link').click();
        await w.page.waitForLoadState('load');
        expect(await w.page.locator('[data-password]').innerText()).toBe(issued.password);
        await w.check('invitation-mail');
      }));
  }
});
