import { describe, expect, it } from 'vitest';
import { MOCK_IDENTITIES } from '../../src/dev/mock-identities.ts';
import { useDemoBroker } from './support/demo-broker.ts';
import { DEMO_ACTIONS, demoClaims, expectChooser, expectCodePage, expectErrorPage, expectPortvagtPage, failAtMock, loginAtMock, startAtDemo, submitFirstLogin } from './support/steps.ts';
import { VARIANTS, useChromium, walk, type Walk } from './support/walk.ts';

const browser = useChromium();

describe.each(VARIANTS)('every page offers the way on its text names, for a user on $name', (variant) => {
  const demo = useDemoBroker();

  const invite = async (username: string) => {
    const account = await demo.portvagt.accounts.create({ tenant: 'demo', username, displayName: username });
    return (await demo.portvagt.invitations.issue(account.id)).password;
  };
  const link = (w: Walk, name: string) => w.page.getByRole('link', { name, exact: true });

  it('6001: another method or whom to ask, and a first-time login without approving in MitID again', () =>
    walk(browser(), 'unlinked', variant, async (w) => {
      const password = await invite('lars.nielsen');
      await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
      await w.click('MitID');
      await loginAtMock(w, 'Lars Nielsen');
      await expectCodePage(w, 6001, 'codes.6001', demo.system, { method: 'MitID', system: demo.system });
      expect(await link(w, w.t('ui.errorPage.tryAgain')).count()).toBe(0);
      expect(await link(w, w.t('ui.errorPage.chooseOther')).count()).toBe(1);
      expect(await w.page.locator('.contact').innerText()).toContain(w.t('ui.errorPage.contactHeading', { name: variant.lang === 'da' ? 'IMS-support (demo)' : 'IMS support (demo)' }));
      await w.check('6001');
      await w.click(w.t('ui.errorPage.startFirstLogin'));
      // The MitID login just made is kept: the form at once, not the chooser or MitID again.
      await expectPortvagtPage(w, w.t('ui.firstLogin.title'), demo.system);
      await submitFirstLogin(w, 'lars.nielsen', password);
      expect((await demoClaims(w)).preferred_username).toBe('lars.nielsen');
    }));

  it('6002 in a first-time login: "Log ind" logs in with the method already linked', () =>
    walk(browser(), 'first-login-linked', variant, async (w) => {
      await startAtDemo(w, demo.base, DEMO_ACTIONS.firstLogin);
      await w.click('MitID');
      await loginAtMock(w, 'Mette Jensen');
      await expectCodePage(w, 6002, 'codes.6002', demo.system, { method: 'MitID', system: demo.system });
      await w.check('6002');
      await w.click(w.t('ui.errorPage.startLogin'));
      await expectChooser(w, 'ui.chooser.login', demo.system);
      await w.click('MitID');
      await loginAtMock(w, 'Mette Jensen');
      expect((await demoClaims(w)).preferred_username).toBe('mette.jensen');
    }));

  it("6002 while linking: back to the user's login methods, to link another or finish", () =>
    walk(browser(), 'link-owned', variant, async (w) => {
      // Anna Hansen's NemID belongs to another user (the demo's mocks are mounted under /mock).
      const other = await demo.portvagt.accounts.create({ tenant: 'demo', username: `other.${variant.lang}`, displayName: 'Other' });
      await demo.portvagt.accounts.link(other.id, { method: 'nemid', issuer: `${demo.base}/mock/nemid`, subject: MOCK_IDENTITIES.nemid.find((i) => i.claims.name === 'Anna Hansen')!.sub });
      await startAtDemo(w, demo.base, DEMO_ACTIONS.link);
      await w.click('MitID');
      await loginAtMock(w, 'Mette Jensen');
      await w.click('NemID');
      await loginAtMock(w, 'Anna Hansen');
      await expectCodePage(w, 6002, 'codes.6002.variants.link', demo.system, { method: 'NemID', system: demo.system });
      await w.check('6002-link');
      await w.click(w.t('ui.errorPage.toLinkPage'), 'link');
      await expectChooser(w, 'ui.link', demo.system);
      await w.click(w.t('ui.link.finish'));
      expect((await demoClaims(w)).preferred_username).toBe('mette.jensen');
    }));

  it('a long paste into the first-time login form: the form again, saying the text was too long', () =>
    walk(browser(), 'too-long', variant, async (w) => {
      const password = await invite(`anna.${variant.lang}`);
      await startAtDemo(w, demo.base, DEMO_ACTIONS.firstLogin);
      await w.click('NemID');
      await loginAtMock(w, 'Lars Nielsen');
      await submitFirstLogin(w, 'x'.repeat(20_000), password);
      await expectPortvagtPage(w, w.t('ui.firstLogin.title'), demo.system);
      expect(await w.page.getByRole('alert').innerText()).toContain(w.t('ui.layout.tooLong'));
      await w.check('too-long');
      await submitFirstLogin(w, `anna.${variant.lang}`, password);
      expect((await demoClaims(w)).preferred_username).toBe(`anna.${variant.lang}`);
    }));

  it('a 5502 names its method on the help page too, and the language link that failed says what really failed', () =>
    walk(browser(), 'help-method', variant, async (w) => {
      await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
      await w.click('NemID');
      await failAtMock(w, 'LOCK001');
      await expectErrorPage(w, 5502, 'nemid.quarantine', demo.system, 'NemID');
      await w.click(w.t('ui.errorPage.helpLink'), 'link');
      const entry = w.page.locator('section[id="5502"]');
      expect(await entry.getByRole('heading', { level: 3 }).innerText()).toBe(`5502 – ${w.t('codes.5502.title', { method: 'NemID' })}`);
      expect(await entry.innerText()).toContain(w.t('codes.5502.cause', { method: 'NemID' }));
      await w.check('help-5502');
      await w.snapPart('help-5502-entry', entry);

      await w.page.goto(`${demo.base}/lang?lang=xx&return_to=/help/errors`);
      await expectCodePage(w, 8000, 'codes.8000', 'Portvagt');
      expect(await w.page.locator('main').innerText()).not.toContain(w.t('codes.3000.title'));
      await w.check('8000');
    }));

  it('the demo system words a code it gets back with the method in general words', () =>
    walk(browser(), 'demo-5502', variant, async (w) => {
      await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
      await w.click('NemID');
      await failAtMock(w, 'LOCK001');
      await w.click(w.t('ui.errorPage.backToSystem', { system: demo.system }));
      expect(new URL(w.page.url()).pathname).toBe('/demo');
      expect(await w.page.locator('main').innerText()).not.toMatch(/[{}]/);
      await w.check('demo-after-5502');
    }));
});
