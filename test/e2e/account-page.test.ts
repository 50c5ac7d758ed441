import { describe, expect, it } from 'vitest';
import { MOCK_IDENTITIES } from '../../src/dev/mock-identities.ts';
import { demoClient, useDemoBroker, type DemoBroker } from './support/demo-broker.ts';
import { CASE_SYSTEM, DEMO_ACTIONS, demoClaims, expectChooser, expectCodePage, expectPortvagtPage, loginAtMock, startAtDemo, submitFirstLogin } from './support/steps.ts';
import { VARIANTS, useChromium, walk, type Walk } from './support/walk.ts';

const browser = useChromium();

/** The brand of the account page opened without `?system`: Portvagt's own. */
const OWN_BRAND = 'Portvagt';

/** An account of the demo tenant linked to the mocks' identity `index` of each method named (the mocks know a few per method). */
async function accountWith(demo: DemoBroker, username: string, displayName: string, links: Partial<Record<'mitid' | 'nemid', number>>): Promise<void> {
  const account = await demo.portvagt.accounts.create({ tenant: 'demo', username, displayName });
  for (const [method, index] of Object.entries(links)) {
    await demo.portvagt.accounts.link(account.id, { method, issuer: demo.config.methods.get(method)!.issuer, subject: MOCK_IDENTITIES[method as 'mitid' | 'nemid'][index]!.sub });
  }
}

/** On the account page: its title, heading and the holder it greets. */
async function expectAccountPage(w: Walk, name: string, label: string): Promise<void> {
  expect(new URL(w.page.url()).pathname).toBe('/account');
  await expectPortvagtPage(w, w.t('ui.account.title'), OWN_BRAND);
  expect(await w.page.getByRole('heading', { level: 1 }).innerText()).toBe(w.t('ui.account.title'));
  expect(await w.page.locator('main').innerText()).toContain(name);
  await w.check(label);
}

/** Opens /account without a session: Portvagt's chooser, the upstream login, and back on the page. */
async function openAccount(w: Walk, base: string, method: string, identity: string): Promise<void> {
  await w.page.goto(`${base}/account`);
  await expectChooser(w, 'ui.chooser.login', OWN_BRAND);
  await w.check('chooser');
  await w.click(method);
  await loginAtMock(w, identity);
  await expectAccountPage(w, identity, 'account');
}

/** The names of the methods the page lists as linked. */
const listedMethods = (w: Walk) => w.page.locator('[data-section="methods"] [data-method]').evaluateAll((items) => items.map((i) => i.getAttribute('data-method')));

/** The confirmation (or warning) line at the top of the account page. */
const notice = (w: Walk) => w.page.locator('[data-account-notice]').innerText();

describe.each(VARIANTS)('the account page for a user on $name', (variant) => {
  // Sagssystemet requires level High: a Substantial MitID login there is refused (5502) after the account is known.
  const demo = useDemoBroker((raw) => void (demoClient(raw, CASE_SYSTEM.clientId).min_assurance = 'high'));

  it('with one method says why it cannot be removed, and a method linked from the page is listed with a confirmation', () =>
    walk(browser(), 'account-link', variant, async (w) => {
      // Mette Jensen of the demo seed, with MitID only.
      await openAccount(w, demo.base, 'MitID', 'Mette Jensen');
      expect(await listedMethods(w)).toEqual(['mitid']);
      expect(await w.page.locator('[data-only-method]').innerText()).toBe(w.t('ui.account.methods.onlyOne'));
      expect(await w.page.getByRole('link', { name: w.t('ui.account.methods.remove', { method: 'MitID' }) }).count()).toBe(0);

      await w.page.goto(`${demo.base}/account/remove?method=mitid`);
      await expectPortvagtPage(w, w.t('ui.account.remove.title'), OWN_BRAND);
      expect(await w.page.locator('[data-remove-state]').innerText()).toBe(w.t('ui.account.remove.last', { method: 'MitID' }));
      expect(await w.page.getByRole('button', { name: w.t('ui.account.remove.submit', { method: 'MitID' }) }).count()).toBe(0);
      await w.check('remove-last');
      await w.click(w.t('ui.account.back'), 'link');

      await w.click(w.t('ui.account.methods.add'), 'link');
      await expectChooser(w, 'ui.chooser.verify', OWN_BRAND);
      await w.check('verify-chooser');
      await w.click('MitID');
      await loginAtMock(w, 'Mette Jensen');
      await expectChooser(w, 'ui.link', OWN_BRAND);
      await w.check('link-page');
      await w.click('NemID');
      await loginAtMock(w, 'Mette Jensen');
      await w.check('link-page-done');
      await w.click(w.t('ui.link.finish'));

      await expectAccountPage(w, 'Mette Jensen', 'account-linked');
      expect(await notice(w)).toBe(w.t('ui.account.notices.linked', { methods: 'NemID' }));
      expect(await listedMethods(w)).toEqual(['mitid', 'nemid']);
      expect(await w.page.locator('[data-only-method]').count()).toBe(0);
    }));

  it('removes the method logged in with after a fresh login with the other, and says it is gone', () =>
    walk(browser(), 'account-remove', variant, async (w) => {
      await accountWith(demo, 'anna.hansen', 'Anna Hansen', { mitid: 2, nemid: 2 });
      await openAccount(w, demo.base, 'NemID', 'Anna Hansen');
      expect(await listedMethods(w)).toEqual(['mitid', 'nemid']);
      await w.click(w.t('ui.account.methods.remove', { method: 'NemID' }), 'link');

      await expectPortvagtPage(w, w.t('ui.account.remove.title'), OWN_BRAND);
      expect(await w.page.locator('[data-remove-state]').innerText()).toBe(w.t('ui.account.remove.loginFirst', { method: 'NemID' }));
      await w.check('remove-login-first');
      await w.click(w.t('ui.account.remove.loginWith', { method: 'MitID' }), 'link');
      await loginAtMock(w, 'Anna Hansen');

      expect(await w.page.locator('[data-remove-state]').innerText()).toBe(w.t('ui.account.remove.confirm', { method: 'NemID' }));
      await w.check('remove-confirm');
      await w.click(w.t('ui.account.remove.submit', { method: 'NemID' }));

      await expectAccountPage(w, 'Anna Hansen', 'account-removed');
      expect(await notice(w)).toBe(w.t('ui.account.notices.removed', { method: 'NemID' }));
      expect(await listedMethods(w)).toEqual(['mitid']);
    }));

  it('logs out another browser from the page, and the system there shows it was logged out by Portvagt', () =>
    walk(browser(), 'account-other-ims', variant, async (other) => {
      await accountWith(demo, 'lars.nielsen', 'Lars Nielsen', { mitid: 1 });
      await startAtDemo(other, demo.base, DEMO_ACTIONS.login);
      await other.check('chooser');
      await other.click('MitID');
      await loginAtMock(other, 'Lars Nielsen');
      await demoClaims(other);

      await walk(browser(), 'account-logout-other', variant, async (w) => {
        await openAccount(w, demo.base, 'MitID', 'Lars Nielsen');
        const session = w.page.locator('[data-section="sessions"] [data-session]:not([data-session="this"])');
        expect(await session.innerText()).toContain(w.t('ui.account.sessions.systems', { systems: demo.system }));
        const otherBrowser = await session.locator('.account-item-name').innerText();
        await session.getByRole('button', { name: w.t('ui.account.sessions.endOther'), exact: true }).click();
        await w.page.waitForLoadState('load');
        await expectAccountPage(w, 'Lars Nielsen', 'account-session-ended');
        expect(await notice(w)).toBe(w.t('ui.account.notices.sessionEnded', { browser: otherBrowser }));
        expect(await w.page.locator('[data-session]').evaluateAll((items) => items.map((i) => i.getAttribute('data-session')))).toEqual(['this']);
      });

      // The back-channel logout is sent before the page answers; a delivery that failed (a loaded machine) is retried after 2 s.
      await expect
        .poll(async () => {
          await other.page.reload();
          return other.page.locator('[data-logged-out]').getAttribute('data-logged-out', { timeout: 1000 }).catch(() => null);
        }, { timeout: 15_000, interval: 500 })
        .toBe('elsewhere');
      expect(await other.page.locator('[data-claims]').count()).toBe(0);
      await other.check('demo-logged-out');
    }));

  it('lists a login the release rules refused, with its code', () =>
    walk(browser(), 'account-refused', variant, async (w) => {
      // Peter Lund's MitID reaches level Low only, below Sagssystemet's High; the page itself asks for no level.
      await accountWith(demo, 'peter.lund', 'Peter Lund', { mitid: 3 });
      await startAtDemo(w, demo.base, DEMO_ACTIONS.login, CASE_SYSTEM.path);
      await w.check('chooser');
      await w.click('MitID');
      await loginAtMock(w, 'Peter Lund');
      expect(await w.page.locator('main').getAttribute('data-error-code')).toBe('5502');
      await w.check('error-5502');

      await openAccount(w, demo.base, 'MitID', 'Peter Lund');
      const refused = w.page.locator('[data-section="logins"] [data-login="refused"]');
      const caseSystem = demo.config.clients.get(CASE_SYSTEM.clientId)!.displayName;
      expect(await refused.innerText()).toContain(caseSystem);
      expect(await refused.innerText()).toContain(w.t('ui.account.logins.refusedCode', { code: 5502 }));
      expect(await w.page.locator('[data-section="logins"] [data-login="released"]').count()).toBe(1);
      // What the code means is one click away.
      await refused.getByRole('link', { name: w.t('ui.account.logins.aboutCode', { code: 5502 }), exact: true }).click();
      await w.page.waitForLoadState('load');
      expect(new URL(w.page.url()).hash).toBe('#5502');
      expect(await w.page.locator('section[id="5502"]').getByRole('heading', { level: 3 }).innerText()).toContain('5502');
      await w.check('help-5502');
    }));

  it('a first-time login locked after too many wrong one-time passwords says so, and whom to ask', () =>
    walk(browser(), 'account-invitation-locked', variant, async (w) => {
      const account = await demo.portvagt.accounts.create({ tenant: 'demo', username: 'sofie.andersen', displayName: 'Sofie Andersen' });
      const { password } = await demo.portvagt.invitations.issue(account.id);
      await startAtDemo(w, demo.base, DEMO_ACTIONS.firstLogin);
      await w.check('chooser');
      await w.click('NemID');
      await loginAtMock(w, 'Lars Nielsen');
      await expectPortvagtPage(w, w.t('ui.firstLogin.title'), demo.system);
      await w.check('form');
      for (let typo = 0; typo < demo.config.invitations.max_attempts; typo++) await submitFirstLogin(w, 'sofie.andersen', `${password}x`);
      await submitFirstLogin(w, 'sofie.andersen', password);

      const text = await expectCodePage(w, 5007, 'codes.5007.variants.invitation-locked', demo.system);
      // The tenant's own support, as config/demo.yaml names it.
      expect(text).toContain(variant.lang === 'da' ? "Demo ApS' it-support" : 'Demo ApS IT support');
      await w.check('invitation-locked');
    }));
});
