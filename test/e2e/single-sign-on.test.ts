import { describe, expect, it } from 'vitest';
import { MOCK_IDENTITIES } from '../../src/dev/mock-identities.ts';
import { demoClient, useDemoBroker, type DemoBroker } from './support/demo-broker.ts';
import { CASE_SYSTEM, DEMO_ACTIONS, demoClaims, expectChooser, expectPortvagtPage, loginAtMock, startAtDemo } from './support/steps.ts';
import { VARIANTS, useChromium, walk, type Walk } from './support/walk.ts';

const browser = useChromium();

/** Logs in to IMS with the demo MitID identity (Substantial) and answers the ID token's claims. */
async function loginToIms(w: Walk, demo: DemoBroker): Promise<Record<string, unknown>> {
  await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
  await w.click('MitID');
  await loginAtMock(w, 'Mette Jensen');
  return demoClaims(w);
}

/** The paths of the pages the browser showed (redirects in between are not shown), from now on. */
function shownPages(w: Walk): string[] {
  const shown: string[] = [];
  w.page.on('framenavigated', (frame) => {
    if (frame === w.page.mainFrame()) shown.push(new URL(frame.url()).pathname);
  });
  return shown;
}

/** A demo system's page says the user is logged out: by their own logout there, or by Portvagt's back-channel logout. */
async function expectLoggedOut(w: Walk, how: 'here' | 'elsewhere'): Promise<void> {
  expect(await w.page.locator('[data-logged-out]').getAttribute('data-logged-out')).toBe(how);
  expect(await w.page.locator('[data-claims]').count()).toBe(0);
}

describe.each(VARIANTS)('a user on $name', (variant) => {
  const demo = useDemoBroker();
  const caseSystem = () => demo.config.clients.get(CASE_SYSTEM.clientId)!.displayName;

  it('logged in to IMS is logged in to Sagssystemet at once, without the chooser or MitID', () =>
    walk(browser(), 'sso', variant, async (w) => {
      const ims = await loginToIms(w, demo);
      await w.click(CASE_SYSTEM.open, 'link');
      expect(new URL(w.page.url()).pathname).toBe(CASE_SYSTEM.path);
      await w.check('case-system');
      const shown = shownPages(w);
      await w.click(DEMO_ACTIONS.login);
      const claims = await demoClaims(w, CASE_SYSTEM.path);
      expect(shown).toEqual([CASE_SYSTEM.path]);
      expect(claims.aud).toBe(CASE_SYSTEM.clientId);
      expect(claims.sub).toBe(ims.sub);
      expect(claims.amr).toContain('mitid');
      expect(claims.auth_time).toBe(ims.auth_time);
    }));

  it('logging out of IMS logs out of Sagssystemet too: Portvagt told it by back-channel', () =>
    walk(browser(), 'single-logout', variant, async (w) => {
      await loginToIms(w, demo);
      await startAtDemo(w, demo.base, DEMO_ACTIONS.login, CASE_SYSTEM.path);
      await demoClaims(w, CASE_SYSTEM.path);
      await w.page.goto(`${demo.base}/demo`);
      await w.check('ims-logged-in');
      // IMS's logout carries its ID token as hint: Portvagt's confirmation page submits itself.
      await w.click('Log ud');
      await w.page.waitForURL(`${demo.base}/demo`);
      await expectLoggedOut(w, 'here');
      await w.check('ims-logged-out');
      await w.page.goto(`${demo.base}${CASE_SYSTEM.path}`);
      await expectLoggedOut(w, 'elsewhere');
      await w.check('case-system-logged-out');
      // Portvagt's session ended too: the next login asks for a method again.
      await w.click(DEMO_ACTIONS.login);
      await expectChooser(w, 'ui.chooser.login', caseSystem());
    }));

  it('logging out at Portvagt without a hint asks first, names both systems, and ends them both', () =>
    walk(browser(), 'logout-confirm', variant, async (w) => {
      await loginToIms(w, demo);
      await startAtDemo(w, demo.base, DEMO_ACTIONS.login, CASE_SYSTEM.path);
      await demoClaims(w, CASE_SYSTEM.path);
      await w.page.goto(`${demo.base}/session/end?client_id=${CASE_SYSTEM.clientId}`);
      // The session's page, not one system's: Portvagt's own brand.
      await expectPortvagtPage(w, w.t('ui.logout.confirmTitle'), 'Portvagt');
      expect(await w.page.locator('[data-systems] li').allInnerTexts()).toEqual([demo.system, caseSystem()]);
      expect(await w.page.getByRole('button', { name: w.t('ui.logout.onlyOne', { system: caseSystem() }) }).count()).toBe(1);
      await w.check('confirm');
      await w.click(w.t('ui.logout.everywhere'));
      expect(await w.page.getByRole('heading', { level: 1 }).innerText()).toBe(w.t('ui.logout.doneTitle'));
      expect(await w.page.locator('[data-systems] li').allInnerTexts()).toEqual([demo.system, caseSystem()]);
      await w.check('logged-out');
      for (const path of ['/demo', CASE_SYSTEM.path]) {
        await w.page.goto(`${demo.base}${path}`);
        await expectLoggedOut(w, 'elsewhere');
      }
    }));

  it('asking for a fresh login (prompt=login, or max_age=0) logs in at MitID again although a session exists', () =>
    walk(browser(), 'fresh-login', variant, async (w) => {
      const ims = await loginToIms(w, demo);
      await w.click('Log ind på ny');
      await expectChooser(w, 'ui.chooser.login', demo.system);
      await w.click('MitID');
      await loginAtMock(w, 'Mette Jensen');
      const again = await demoClaims(w);
      expect(again.sub).toBe(ims.sub);

      await w.page.goto(`${demo.base}${CASE_SYSTEM.path}`);
      // A system asking that the login be no older than 0 seconds, as before a sensitive step.
      await w.page.locator('form[action$="/start"]').evaluate((form) => form.insertAdjacentHTML('beforeend', '<input type="hidden" name="max_age" value="0">'));
      await w.click(DEMO_ACTIONS.login);
      await expectChooser(w, 'ui.chooser.login', caseSystem());
      await w.click('MitID');
      await loginAtMock(w, 'Mette Jensen');
      expect((await demoClaims(w, CASE_SYSTEM.path)).sub).toBe(ims.sub);
    }));
});

describe.each(VARIANTS)('a user on $name of a system that requires level High', (variant) => {
  const demo = useDemoBroker((raw) => void (demoClient(raw, CASE_SYSTEM.clientId).min_assurance = 'high'));
  const lars = { mitid: MOCK_IDENTITIES.mitid[1]!, nemid: MOCK_IDENTITIES.nemid[1]! };

  it('logged in at Substantial is told why the login must be repeated, and gets in at High', () =>
    walk(browser(), 'step-up', variant, async (w) => {
      // Lars Nielsen logs in with NemID at Substantial, and with MitID at High: the mocks' MitID gives one level per person.
      const account = await demo.portvagt.accounts.create({ tenant: 'demo', username: `lars.${variant.name}`, displayName: 'Lars Nielsen' });
      for (const [method, identity] of Object.entries(lars)) await demo.portvagt.accounts.link(account.id, { method, issuer: demo.config.methods.get(method)!.issuer, subject: identity.sub });
      await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
      await w.click('NemID');
      await loginAtMock(w, 'Lars Nielsen');
      expect((await demoClaims(w)).acr).toBe('https://data.gov.dk/concept/core/nsis/loa/Substantial');

      await startAtDemo(w, demo.base, DEMO_ACTIONS.login, CASE_SYSTEM.path);
      const system = demo.config.clients.get(CASE_SYSTEM.clientId)!.displayName;
      await expectPortvagtPage(w, w.t('ui.chooser.login.title'), system);
      const reason = w.t('ui.chooser.stepUp', { system, required: w.t('levels.high'), reached: w.t('levels.substantial') });
      expect(await w.page.locator('main').innerText()).toContain(reason);
      await w.check('step-up-chooser');
      await w.click('MitID');
      await loginAtMock(w, 'Lars Nielsen');
      const claims = await demoClaims(w, CASE_SYSTEM.path);
      expect(claims.acr).toBe('https://data.gov.dk/concept/core/nsis/loa/High');
      expect(claims.preferred_username).toBe(`lars.${variant.name}`);
    }));
});
