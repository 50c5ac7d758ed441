import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOCK_IDENTITIES } from '../../src/dev/mock-identities.ts';
import { startDemoBroker, type DemoBroker } from './support/demo-broker.ts';
import { DEMO_ACTIONS, demoClaims, expectPortvagtPage, loginAtMock, startAtDemo } from './support/steps.ts';
import { VARIANTS, launchChromium, walk } from './support/walk.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** Mette Jensen's (invented) CPR number as the mock MitID returns it, typed the way people write it. */
const cpr = MOCK_IDENTITIES.mitid[0]!.claims.cpr!;
const typedCpr = `${cpr.slice(0, 6)}-${cpr.slice(6)}`;

describe.each(VARIANTS)('a user on $name', (variant) => {
  let demo: DemoBroker;
  beforeAll(async () => {
    demo = await startDemoBroker((raw) => {
      (raw.tenants as Record<string, unknown>[])[0]!.require_cpr_match = true;
    });
  });
  afterAll(async () => {
    await demo?.portvagt.close();
  });

  it('confirms their CPR number after MitID, after one mistyped number tied to the field', () =>
    walk(browser, 'cpr-match', variant, async (w) => {
      await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
      await w.check('chooser');
      await w.click('MitID');
      await loginAtMock(w, 'Mette Jensen');

      await expectPortvagtPage(w, w.t('ui.cpr.title'), demo.system);
      await w.check('cpr-form');
      const field = w.page.getByLabel(w.t('ui.cpr.label'));
      await field.fill('010190-1234');
      await w.click(w.t('ui.cpr.submit'));

      await expectPortvagtPage(w, `${w.t('ui.layout.errorPrefix')} ${w.t('ui.cpr.title')}`, demo.system);
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await field.getAttribute('aria-describedby'))!.split(' ');
      const descriptions = await Promise.all(describedBy.map((id) => w.page.locator(`#${id}`).innerText()));
      expect(descriptions.join(' ')).toContain(w.t('ui.cpr.mismatch', { attempts: 2 }));
      await w.check('cpr-mismatch');
      await field.fill(typedCpr);
      await w.click(w.t('ui.cpr.submit'));

      const claims = await demoClaims(w);
      expect(claims.preferred_username).toBe('mette.jensen');
      expect(JSON.stringify(claims)).not.toContain(cpr);
    }));
});
