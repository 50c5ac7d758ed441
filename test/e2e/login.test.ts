import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoBroker, type DemoBroker } from './support/demo-broker.ts';
import { DEMO_ACTIONS, demoClaims, expectChooser, expectPortvagtPage, loginAtMock, startAtDemo, submitFirstLogin } from './support/steps.ts';
import { VARIANTS, launchChromium, walk } from './support/walk.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(VARIANTS)('a user on $name', (variant) => {
  let demo: DemoBroker;
  beforeAll(async () => {
    demo = await startDemoBroker();
  });
  afterAll(async () => {
    await demo?.portvagt.close();
  });

  it('logs in with MitID from the demo system and is back there, logged in', () =>
    walk(browser, 'login', variant, async (w) => {
      await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
      await expectChooser(w, 'ui.chooser.login', demo.system);
      await w.check('chooser');
      await w.click('MitID');
      await loginAtMock(w, 'Mette Jensen');
      const claims = await demoClaims(w);
      expect(claims.amr).toEqual(['mitid', 'code_app']);
      expect(claims.preferred_username).toBe('mette.jensen');
    }));

  it('logs in the first time with the username and one-time password from the e-mail, after one typo', () =>
    walk(browser, 'first-login', variant, async (w) => {
      const account = await demo.portvagt.accounts.create({ tenant: 'demo', username: 'anna.hansen', displayName: 'Anna Hansen' });
      const { password } = await demo.portvagt.invitations.issue(account.id);
      await startAtDemo(w, demo.base, DEMO_ACTIONS.firstLogin);
      await expectChooser(w, 'ui.chooser.firstLogin', demo.system);
      await w.check('chooser');
      await w.click('NemID');
      await loginAtMock(w, 'Anna Hansen');

      await expectPortvagtPage(w, w.t('ui.firstLogin.title'), demo.system);
      await w.check('form');
      await submitFirstLogin(w, 'anna.hansen', `${password}x`);

      await expectPortvagtPage(w, `${w.t('ui.layout.errorPrefix')} ${w.t('ui.firstLogin.title')}`, demo.system);
      const field = w.page.getByLabel(w.t('ui.firstLogin.password'));
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      const description = await w.page.locator(`#${await field.getAttribute('aria-describedby')}`).innerText();
      expect(description).toContain('5007');
      expect(await w.page.getByRole('alert').innerText()).toContain(w.t('codes.5007.title'));
      await w.check('form-wrong-password');
      await field.fill(password);
      await w.click(w.t('ui.firstLogin.submit'));

      const claims = await demoClaims(w);
      expect(claims.preferred_username).toBe('anna.hansen');
      expect(claims.amr).toEqual(['nemid']);
    }));

  it('links NemID and the 2FA after verifying with MitID; linked methods are greyed and marked in words', () =>
    walk(browser, 'link', variant, async (w) => {
      const linkedMark = `(${w.t('ui.link.linked')})`;
      await startAtDemo(w, demo.base, DEMO_ACTIONS.link);
      await expectChooser(w, 'ui.chooser.verify', demo.system);
      await w.check('verify-chooser');
      await w.click('MitID');
      await loginAtMock(w, 'Mette Jensen');

      for (const [method, name] of [['nemid', 'NemID'], ['nordigo-2fa', 'Nordigo 2FA']] as const) {
        await expectChooser(w, 'ui.link', demo.system);
        await w.check(`link-page-before-${method}`);
        await w.click(name);
        await loginAtMock(w, 'Mette Jensen');
      }

      await expectChooser(w, 'ui.link', demo.system);
      const buttons = w.page.locator('[data-method]');
      const state = await buttons.evaluateAll((all) =>
        all.map((b) => ({ method: b.getAttribute('data-method'), disabled: b.hasAttribute('disabled'), text: b.textContent, background: b.ownerDocument.defaultView!.getComputedStyle(b).backgroundColor })),
      );
      const linked = state.filter((b) => b.disabled);
      expect(linked.map((b) => b.method)).toEqual(['mitid', 'nemid', 'nordigo-2fa']);
      for (const b of linked) expect(b.text).toContain(linkedMark);
      const open = state.find((b) => b.method === 'mitid-erhverv')!;
      expect(open.disabled).toBe(false);
      expect(open.text).not.toContain(linkedMark);
      expect(linked[0]!.background).not.toBe(open.background);
      await w.check('link-page-done');
      await w.click(w.t('ui.link.finish'));

      const claims = await demoClaims(w);
      expect(claims.preferred_username).toBe('mette.jensen');
      const account = await demo.portvagt.accounts.findByUsername('demo', 'mette.jensen');
      expect((await demo.portvagt.accounts.links(account!.id)).map((l) => l.method).sort()).toEqual(['mitid', 'nemid', 'nordigo-2fa']);
    }));
});
