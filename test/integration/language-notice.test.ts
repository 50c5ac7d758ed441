import { describe, expect, it } from 'vitest';
import { isLocale, translate } from '../../src/i18n/i18n.ts';
import { UNAVAILABLE_LANGUAGE_NOTICES } from '../../src/i18n/language-notice.ts';
import { Browser, readLinks } from '../helpers/browser.ts';
import { useHarness } from '../helpers/harness.ts';

const h = useHarness();

const SEED_002_KL_TITLE = 'Oqaatsini taakkunani qupperneq iserfigineqarsinnaanngilaq';
const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;');

describe('a browser that prefers a language the pages are not in', () => {
  it('Greenlandic: the page in Danish, with MitID.dk\'s notice in Danish and Greenlandic, and the languages there are', async () => {
    const browser = new Browser({ 'accept-language': 'kl-GL,kl;q=0.9' });
    const page = await browser.get(`${h.base}/help/errors`);
    expect(page.body).toContain('<html lang="da"');
    expect(page.body).toContain(escaped(translate('da', 'ui.languageNotice.text')));
    expect(page.body).toMatch(/<div [^>]*lang="kl">/);
    expect(page.body).toContain(SEED_002_KL_TITLE);
    const english = readLinks(page.body, page.url).filter((l) => l.text === 'English');
    expect(english.length).toBeGreaterThan(0);
    // Choosing a language there ends the notice.
    const chosen = await browser.get(english[0]!.href, { follow: true });
    expect(chosen.body).toContain('<html lang="en"');
    expect(chosen.body).not.toContain(translate('en', 'ui.languageNotice.title'));
  });

  it('German with English as the second choice: the page in English with the English notice only', async () => {
    const page = await new Browser({ 'accept-language': 'de-DE,de;q=0.9,en;q=0.8' }).get(`${h.base}/help/errors`);
    expect(page.body).toContain('<html lang="en"');
    expect(page.body).toContain(translate('en', 'ui.languageNotice.title'));
    expect(page.body).not.toContain(SEED_002_KL_TITLE);
  });

  it('no notice for a browser that prefers Danish or English', async () => {
    for (const language of ['da-DK,da;q=0.9', 'en-GB,en;q=0.9', '']) {
      const page = await new Browser(language ? { 'accept-language': language } : {}).get(`${h.base}/help/errors`);
      expect(page.body, language).not.toContain('language-notice');
    }
  });

  it('has a title and a text for every language it knows, none of them a language the pages are in', () => {
    for (const [lang, notice] of Object.entries(UNAVAILABLE_LANGUAGE_NOTICES)) {
      expect(isLocale(lang), lang).toBe(false);
      expect(notice.title.trim(), lang).not.toBe('');
      expect(notice.text.trim(), lang).not.toBe('');
    }
  });
});
