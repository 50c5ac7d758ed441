import { readFileSync } from 'node:fs';
import { isLocale, translate } from './i18n.ts';

/**
 * What a page says to a browser that prefers a language Portvagt has no texts in: MitID.dk's own notice
 * (seed 002), in the page's language, and in the preferred language too where MitID.dk has it
 * (Greenlandic). Those are kept in unavailable-language.json, apart from the locale files, since a
 * locale file is a language the pages are written in.
 */
export const UNAVAILABLE_LANGUAGE_NOTICES: Readonly<Record<string, { title: string; text: string }>> = JSON.parse(readFileSync(new URL('./unavailable-language.json', import.meta.url), 'utf8')) as Record<string, { title: string; text: string }>;

export interface LanguageNotice {
  texts: { lang: string; title: string; text: string }[];
}

/** The visitor's first preference (the system's `ui_locales`, else the browser's), as a primary language tag. */
function firstPreference(uiLocales: string | undefined, acceptLanguage: string | undefined): string | undefined {
  const first = (uiLocales ?? acceptLanguage)?.split(/[\s,]+/)[0]?.split(';')[0]?.trim().toLowerCase().split('-')[0];
  return first && first !== '*' ? first : undefined;
}

/** The notice for a page in `locale`, unless the visitor chose a language here or prefers one the page is in. */
export function languageNotice(locale: string, chosen: string | undefined, uiLocales: string | undefined, acceptLanguage: string | undefined): LanguageNotice | undefined {
  const preferred = firstPreference(uiLocales, acceptLanguage);
  if (chosen !== undefined || preferred === undefined || isLocale(preferred)) return undefined;
  const own = { lang: locale, title: translate(locale, 'ui.languageNotice.title'), text: translate(locale, 'ui.languageNotice.text') };
  const theirs = Object.hasOwn(UNAVAILABLE_LANGUAGE_NOTICES, preferred) ? [{ lang: preferred, ...UNAVAILABLE_LANGUAGE_NOTICES[preferred]! }] : [];
  return { texts: [own, ...theirs] };
}
