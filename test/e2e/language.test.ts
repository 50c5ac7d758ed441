import { describe, expect, it } from 'vitest';
import { useDemoBroker } from './support/demo-broker.ts';
import { DEMO_ACTIONS, expectChooser, failAtMock, startAtDemo } from './support/steps.ts';
import { VARIANTS, useChromium, walk } from './support/walk.ts';

const browser = useChromium();

/** A browser set to a language the pages are not in: Greenlandic (Danish pages), German with English second (English pages). */
const UNAVAILABLE = { da: 'kl-GL,kl;q=0.9', en: 'de-DE,de;q=0.9,en;q=0.8' } as const;

describe.each(VARIANTS)('languages, for a user on $name', (variant) => {
  const demo = useDemoBroker();
  const other = variant.lang === 'da' ? { name: 'English', lang: 'en' } : { name: 'Dansk', lang: 'da' };

  it("a browser in a language the pages are not in: the page with MitID.dk's notice and the languages there are", () =>
    walk(browser(),
      'unavailable-language',
      variant,
      async (w) => {
        await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
        await expectChooser(w, 'ui.chooser.login', demo.system);
        const notice = w.page.getByRole('note');
        expect(await notice.innerText()).toContain(w.t('ui.languageNotice.text'));
        if (variant.lang === 'da') expect(await notice.locator('[lang="kl"]').innerText()).toContain('Oqaatsini taakkunani qupperneq iserfigineqarsinnaanngilaq');
        expect(await notice.getByRole('link').allInnerTexts()).toEqual(['Dansk', 'English']);
        await w.check('chooser-with-notice');
        await notice.getByRole('link', { name: other.name }).click();
        expect(await w.page.locator('html').getAttribute('lang')).toBe(other.lang);
        expect(await w.page.getByRole('note').count()).toBe(0);
        await w.check('chooser-language-chosen');
      },
      // The language a browser asks for goes in Accept-Language; a context locale would replace it.
      { locale: undefined, extraHTTPHeaders: { 'accept-language': UNAVAILABLE[variant.lang] } },
    ));

  it("the help page from an error page: MitID.dk's pages in the reader's language or marked, and the language switch keeps the section", () =>
    walk(browser(), 'help-language', variant, async (w) => {
      await startAtDemo(w, demo.base, DEMO_ACTIONS.login);
      await w.click('NemID');
      await failAtMock(w, 'LOCK001');
      await w.click(w.t('ui.errorPage.help.nemid'), 'link');
      expect(new URL(w.page.url()).hash).toBe('#nemid');
      const links = w.page.locator('#mitid .help-links a');
      for (const link of await links.all()) {
        const hreflang = await link.getAttribute('hreflang');
        const marked = (await link.innerText()).endsWith(w.t(`links.inLanguage.${hreflang ?? variant.lang}`));
        // A page in another language says so; one in the reader's own does not.
        expect(marked, await link.innerText()).toBe(hreflang !== null);
        if (hreflang === null) expect(await link.getAttribute('href')).toMatch(variant.lang === 'da' ? /\/hjaelp\// : /\/en-gb\//);
      }
      await w.check('help-nemid');
      await w.snapPart('help-mitid-section', w.page.locator('#mitid'));
      await w.click(other.name, 'link');
      expect(await w.page.locator('html').getAttribute('lang')).toBe(other.lang);
      expect(new URL(w.page.url()).hash).toBe('#nemid');
      await w.check('help-nemid-switched');
      await w.snapPart('help-nemid-section-switched', w.page.locator('#nemid'));
    }));
});
