import { describe, expect, it } from 'vitest';
import { PUBLIC_LINKS, type PublicLink } from '../../src/errors/advice.ts';
import { publicLinkView } from '../../src/outcomes/error-content.ts';
import { LOCALES } from '../../src/i18n/i18n.ts';

const SECTION_LANGUAGE: [RegExp, string][] = [
  [/\/(en-gb|dk-en)\//, 'en'],
  [/\/(hjaelp|dk-da)\//, 'da'],
];

/** The language a page's address says it is in (MitID.dk and nemid.nu keep each language under its own path). */
const languageOf = (url: string) => SECTION_LANGUAGE.find(([pattern]) => pattern.test(url))?.[1];

describe('public help pages', () => {
  it.each(LOCALES)('on a %s page: the page in that language, or the other one saying which language it is in', (locale) => {
    for (const link of Object.keys(PUBLIC_LINKS) as PublicLink[]) {
      const view = publicLinkView(link, locale);
      const lang = languageOf(view.url);
      expect(lang, `${link}: ${view.url}`).toBeDefined();
      if (lang === locale) {
        expect(view.hreflang, link).toBeUndefined();
      } else {
        expect(view.hreflang, link).toBe(lang);
        expect(view.label, link).toMatch(locale === 'da' ? /\(på (engelsk|dansk)\)$/ : /\(in (English|Danish)\)$/);
      }
    }
  });

  it('a MitID page that exists only in English says so on a Danish page', () => {
    expect(publicLinkView('mitidBlocked', 'da')).toMatchObject({ label: 'MitID-identifikationsmiddel er spærret (MitID.dk) (på engelsk)', hreflang: 'en' });
    expect(publicLinkView('mitidPassword', 'en')).toMatchObject({ hreflang: 'da' });
    expect(publicLinkView('mitidPassword', 'en').label).toMatch(/\(in Danish\)$/);
  });
});
