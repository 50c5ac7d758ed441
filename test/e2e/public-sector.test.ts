import { describe, expect, it } from 'vitest';
import { useDemoBroker } from './support/demo-broker.ts';
import { cancelAtMock, DEMO_ACTIONS, expectChooser, expectErrorPage, failAtMock, startAtDemo } from './support/steps.ts';
import { VARIANTS, useChromium, walk, type Walk } from './support/walk.ts';

const browser = useChromium();

describe.each(VARIANTS)('what a public-sector deployment needs, for a user on $name', (variant) => {
  const demo = useDemoBroker();

  /** The footer's link to the deployment's accessibility statement (config/demo.yaml). */
  async function expectStatementLink(w: Walk): Promise<void> {
    const link = w.page.getByRole('contentinfo').getByRole('link', { name: w.t('ui.layout.accessibilityStatement'), exact: true });
    expect(await link.getAttribute('href')).toBe('https://ims.example/tilgaengelighedserklaering');
  }

  it('every page links the accessibility statement from its footer', () =>
    walk(browser(), 'statement', variant, async (w) => {
      await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
      await expectChooser(w, 'ui.chooser.login', demo.system);
      await expectStatementLink(w);
      await w.check('chooser');
      await w.click('NemID');
      await failAtMock(w, 'LOCK001');
      await expectErrorPage(w, 5502, 'nemid.quarantine', demo.system, 'NemID');
      await expectStatementLink(w);
      await w.page.goto(`${demo.base}/help/errors`);
      await expectStatementLink(w);
    }));

  it('the mock NemID has an "Afbryd" button, as the real page has, and it leads back to the chooser', () =>
    walk(browser(), 'mock-cancel', variant, async (w) => {
      await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
      await w.click('NemID');
      expect(await w.page.getByRole('option', { name: 'CAN002' }).count()).toBe(0);
      await cancelAtMock(w);
      await expectChooser(w, 'ui.chooser.login', demo.system);
      expect(await w.page.getByRole('status').innerText()).toBe(w.t('ui.chooser.cancelled', { method: 'NemID', system: demo.system }));
      await w.check('chooser-after-cancel');
    }));
});
