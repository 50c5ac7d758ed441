import { describe, expect, it } from 'vitest';
import { SUPPORT_TEXTS } from '../../src/errors/support-texts.ts';
import { hasKey, translate } from '../../src/i18n/i18n.ts';
import da from '../../src/i18n/locales/da.json' with { type: 'json' };

/**
 * Which texts tell the user to contact support is data (errors/support-texts.ts), so a page's contact
 * block never depends on how a sentence is translated. This holds the data to the texts: every action
 * or guidance text that names support, in any language, is listed, and nothing else is.
 */

type Tree = { [key: string]: string | Tree };

function actionKeys(): string[] {
  const codes = da.codes as unknown as Record<string, Tree & { variants?: Record<string, Tree> }>;
  const fromCodes = Object.entries(codes).flatMap(([code, entry]) => [`codes.${code}.action`, ...Object.keys(entry.variants ?? {}).map((variant) => `codes.${code}.variants.${variant}.action`)]);
  const fromGuidance = Object.entries(da.guidance as unknown as Record<string, Record<string, string>>).flatMap(([group, texts]) => Object.keys(texts).map((name) => `guidance.${group}.${name}`));
  return [...fromCodes, ...fromGuidance];
}

describe('texts that name support', () => {
  it('are exactly the listed ones, in Danish and English alike', () => {
    const keys = actionKeys();
    expect(keys.length).toBeGreaterThan(100);
    const naming = keys.filter((key) => ['da', 'en'].some((locale) => /support/i.test(translate(locale, key))));
    expect(naming.sort()).toEqual([...SUPPORT_TEXTS].sort());
  });

  it('lists only keys that exist', () => {
    expect([...SUPPORT_TEXTS].filter((key) => !hasKey('da', key))).toEqual([]);
  });
});
