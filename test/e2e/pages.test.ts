import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/i18n.ts';
import { demoClient, startDemoBroker, type DemoBroker } from './support/demo-broker.ts';
import { DEMO_ACTIONS, METHOD_ORDER, demoClaims, expectChooser, expectErrorPage, failAtMock, startAtDemo } from './support/steps.ts';
import { DESKTOP, launchChromium, walk, type Variant } from './support/walk.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const danish = (name: string, viewport: Variant['viewport']): Variant => ({ name, lang: 'da', browserLocale: 'da-DK', viewport });

describe('the pages, beyond the walks', () => {
  let demo: DemoBroker;
  beforeAll(async () => {
    demo = await startDemoBroker();
  });
  afterAll(async () => {
    await demo?.portvagt.close();
  });

  // 320 px is WCAG 1.4.10's reflow width; 640 px is a 1280 px window at 200 % zoom.
  for (const variant of [danish('da-320', { width: 320, height: 640 }), danish('da-zoom200', { width: 640, height: 450 })]) {
    it(`reflow without sideways scrolling on ${variant.name}: chooser, upstream, error page, help`, () =>
      walk(browser, 'reflow', variant, async (w) => {
        await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
        await expectChooser(w, 'ui.chooser.login', demo.system);
        await w.check('chooser');
        await w.click('NemID');
        await failAtMock(w, 'LOCK001');
        await expectErrorPage(w, 5502, 'nemid.quarantine', demo.system, 'NemID');
        await w.click(w.t('ui.errorPage.helpLink'), 'link');
        await w.check('help');
      }));
  }

  it('can be used with the keyboard alone, in a sensible focus order with a visible focus', () =>
    walk(browser, 'keyboard', danish('da-desktop', DESKTOP), async (w) => {
      const { page } = w;
      await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
      await w.check('chooser');
      const focusOrder: string[] = [];
      for (let i = 0; i < 9; i++) {
        await page.keyboard.press('Tab');
        const focused = await page.locator(':focus').evaluate((el) => {
          const style = el.ownerDocument.defaultView!.getComputedStyle(el);
          return { name: (el.textContent ?? '').trim(), visible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
        });
        expect(focused.visible, `focus ring on "${focused.name}"`).toBe(true);
        focusOrder.push(focused.name);
      }
      expect(focusOrder).toEqual([
        w.t('ui.layout.skip'),
        'Dansk',
        'English',
        'MitID',
        'MitID Erhverv',
        'NemID',
        'Nordigo 2FA',
        w.t('ui.layout.cancel', { system: demo.system }),
        w.t('ui.layout.help'),
      ]);
      // The skip link leads past the header: the next Tab lands on the first login method.
      await page.getByRole('link', { name: w.t('ui.layout.skip') }).focus();
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      expect(await page.locator(':focus').getAttribute('data-method')).toBe(METHOD_ORDER[0]);
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/mock\/mitid\//);
      await w.check('upstream');
      await page.locator('[data-identity]').first().focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/demo$/);
      expect((await demoClaims(w)).amr).toEqual(['mitid', 'code_app']);
    }));

  it('switches language on the page itself and stays on it', () =>
    walk(browser, 'language-switch', danish('da-desktop', DESKTOP), async (w) => {
      await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
      await expectChooser(w, 'ui.chooser.login', demo.system);
      const chooserUrl = w.page.url();
      await w.click('English', 'link');
      expect(w.page.url()).toBe(chooserUrl);
      expect(await w.page.locator('html').getAttribute('lang')).toBe('en');
      expect(await w.page.title()).toBe(`${translate('en', 'ui.chooser.login.title')} – ${demo.system}`);
      expect(await w.page.getByRole('link', { name: 'English' }).getAttribute('aria-current')).toBe('true');
      await w.check('chooser-english');
    }));
});

describe("a system's own branding", () => {
  let demo: DemoBroker;
  beforeAll(async () => {
    demo = await startDemoBroker((raw) => {
      Object.assign(demoClient(raw), { primary_color: '#ffd23f', logo_url: '/static/logos/ims-demo.svg' });
    });
  });
  afterAll(async () => {
    await demo?.portvagt.close();
  });

  it('shows its logo and colour, with dark text where white text would not be readable', () =>
    walk(browser, 'branding', danish('da-desktop', DESKTOP), async (w) => {
      await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
      const header = w.page.locator('header');
      const colours = await header.evaluate((el) => {
        const style = (of: typeof el) => el.ownerDocument.defaultView!.getComputedStyle(of);
        return { background: style(el).backgroundColor, text: style(el.querySelector('.brand-name')!).color };
      });
      expect(colours).toEqual({ background: 'rgb(255, 210, 63)', text: 'rgb(0, 0, 0)' });
      expect(await header.locator('img').evaluate((img) => (img as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
      await w.check('chooser');
    }));
});
