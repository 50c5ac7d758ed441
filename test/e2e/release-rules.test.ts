import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cprFingerprint } from '../../src/accounts/cpr.ts';
import { startDemoBroker, demoClient, type DemoBroker } from './support/demo-broker.ts';
import { DEMO_ACTIONS, expectPortvagtPage, loginAtMock, startAtDemo } from './support/steps.ts';
import { VARIANTS, launchChromium, walk, type Walk } from './support/walk.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** The error page of a refused release: its code, its own title and its true cause. */
async function expectRefusal(w: Walk, demo: DemoBroker, code: number, variant: string, vars: Record<string, string>, label: string): Promise<void> {
  const title = w.t(`codes.${code}.variants.${variant}.title`, vars);
  await expectPortvagtPage(w, w.t('ui.errorPage.documentTitle', { code, title }), demo.system);
  expect(await w.page.locator('main').getAttribute('data-error-code')).toBe(String(code));
  const text = await w.page.locator('main').innerText();
  for (const part of ['title', 'cause']) expect(text).toContain(w.t(`codes.${code}.variants.${variant}.${part}`, vars));
  await w.check(label);
}

describe.each(VARIANTS)('a user on $name', (variant) => {
  let demo: DemoBroker;
  beforeAll(async () => {
    demo = await startDemoBroker((raw) => {
      (raw.tenants as Record<string, unknown>[])[0]!.require_cpr_match = true;
      raw.timeouts = { link_verification: 2 };
    });
  });
  afterAll(async () => {
    await demo?.portvagt.close();
  });

  it('whose MitID login is below the level IMS requires is told so, plainly', async () => {
    const strict = await startDemoBroker((raw) => void (demoClient(raw).min_assurance = 'high'));
    try {
      await walk(browser, 'release-level', variant, async (w) => {
        await startAtDemo(w, strict.base, DEMO_ACTIONS.login);
        await w.click('MitID');
        await loginAtMock(w, 'Mette Jensen');
        const levels = { system: strict.system, method: 'MitID', required: w.t('levels.high'), reached: w.t('levels.substantial') };
        await expectRefusal(w, strict, 5502, 'level', levels, 'error-5502-level');
        const plainly = variant.lang === 'da' ? 'kræver MitID på niveau Høj. Du loggede ind på niveau Betydelig.' : 'requires MitID at level High. You logged in at level Substantial.';
        expect(await w.page.locator('main').innerText()).toContain(`${strict.system} ${plainly}`);
      });
    } finally {
      await strict.portvagt.close();
    }
  });

  it('logging in with a MitID of another person than the account is registered to is refused', () =>
    walk(browser, 'release-cpr', variant, async (w) => {
      const account = (await demo.portvagt.accounts.list('demo'))[0]!;
      await demo.portvagt.accounts.setCprFingerprint(account.id, cprFingerprint(demo.config.secrets, '0307724321'));
      try {
        await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
        await w.click('MitID');
        await loginAtMock(w, 'Mette Jensen');
        await expectRefusal(w, demo, 6001, 'cpr-mismatch', { system: demo.system, method: 'MitID' }, 'error-6001-cpr');
      } finally {
        await demo.portvagt.accounts.setCprFingerprint(account.id, null);
      }
    }));

  it('whose link flow ran out of time is offered to start it again from IMS, and nothing else', () =>
    walk(browser, 'release-link-expired', variant, async (w) => {
      await startAtDemo(w, demo.base, DEMO_ACTIONS.link);
      await w.click('MitID');
      await loginAtMock(w, 'Mette Jensen');
      await w.page.getByLabel(w.t('ui.cpr.label')).fill('120485-1234');
      await w.click(w.t('ui.cpr.submit'));
      await expectPortvagtPage(w, w.t('ui.link.title'), demo.system);
      await new Promise((resolve) => setTimeout(resolve, 2500));
      await w.page.reload();
      await expectPortvagtPage(w, w.t('ui.errorPage.documentTitle', { code: 4100, title: w.t('codes.4100.title') }), demo.system);
      expect(await w.page.getByRole('link', { name: w.t('ui.errorPage.tryAgain') }).count()).toBe(0);
      await w.check('error-4100');
      await w.click(w.t('ui.errorPage.restartLink', { system: demo.system }));
      expect(new URL(w.page.url()).pathname).toBe('/demo');
    }));
});
