import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors/catalogue.ts';

/**
 * Checks every locale file in src/i18n/locales/ against the default locale (da): same keys, no empty
 * texts, a title/cause/action for every error code, and the same placeholders in every language.
 * The files are discovered by listing the folder, so adding a language is adding one file.
 */

const DEFAULT_LOCALE = 'da';
const LOCALES_DIR = new URL('../../src/i18n/locales/', import.meta.url);
const PLACEHOLDER = /\{(\w+)\}/g;

type Tree = { [key: string]: string | Tree };

function loadLocales(): Map<string, Tree> {
  const locales = new Map<string, Tree>();
  for (const file of readdirSync(LOCALES_DIR).filter((f) => f.endsWith('.json')).sort()) {
    const text = readFileSync(new URL(file, LOCALES_DIR), 'utf8');
    locales.set(file.slice(0, -'.json'.length), JSON.parse(text) as Tree);
  }
  return locales;
}

/** Every leaf of a locale tree as [dotted key, value]; values that are not strings are kept as-is. */
function leaves(tree: unknown, prefix = ''): [string, unknown][] {
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree)) return [[prefix, tree]];
  const entries = Object.entries(tree as Record<string, unknown>);
  if (entries.length === 0) return [[prefix, tree]];
  return entries.flatMap(([key, value]) => leaves(value, prefix ? `${prefix}.${key}` : key));
}

function placeholders(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))].sort();
}

const locales = loadLocales();
const defaultTree = locales.get(DEFAULT_LOCALE);
const defaultLeaves = new Map(leaves(defaultTree));
const others = [...locales.keys()].filter((name) => name !== DEFAULT_LOCALE);

describe('locale files', () => {
  it('include the default locale and at least one other language', () => {
    expect(defaultTree, `${DEFAULT_LOCALE}.json is missing`).toBeDefined();
    expect(others.length).toBeGreaterThan(0);
  });

  describe.each([...locales.keys()])('%s.json', (name) => {
    const tree = locales.get(name)!;
    const own = new Map(leaves(tree));

    it('has exactly the same keys as the default locale', () => {
      const missing = [...defaultLeaves.keys()].filter((key) => !own.has(key));
      const extra = [...own.keys()].filter((key) => !defaultLeaves.has(key));
      expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    });

    it('has only non-empty strings as texts', () => {
      // An empty section ({}) is allowed: it holds no texts yet. Anything else must be a non-empty string.
      const isEmptySection = (value: unknown) =>
        value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
      const bad = [...own]
        .filter(([, value]) => !isEmptySection(value) && (typeof value !== 'string' || value.trim() === ''))
        .map(([key]) => key);
      expect(bad).toEqual([]);
    });

    it('has title, cause and action for every error code, and no unknown codes', () => {
      const codes = (tree.codes ?? {}) as Tree;
      const missing: string[] = [];
      for (const code of ERROR_CODES) {
        for (const part of ['title', 'cause', 'action']) {
          const entry = codes[String(code)];
          const text = typeof entry === 'object' ? entry[part] : undefined;
          if (typeof text !== 'string' || text.trim() === '') missing.push(`codes.${code}.${part}`);
        }
      }
      const known = new Set(ERROR_CODES.map(String));
      const unknown = Object.keys(codes).filter((code) => !known.has(code));
      expect({ missing, unknown }).toEqual({ missing: [], unknown: [] });
    });

    it('uses the same placeholders as the default locale in every key', () => {
      const mismatched: string[] = [];
      for (const [key, value] of own) {
        if (!defaultLeaves.has(key)) continue;
        const expected = placeholders(defaultLeaves.get(key));
        const actual = placeholders(value);
        if (expected.join(',') !== actual.join(',')) {
          mismatched.push(`${key}: {${actual.join('},{')}} but ${DEFAULT_LOCALE} has {${expected.join('},{')}}`);
        }
      }
      expect(mismatched).toEqual([]);
    });
  });
});
