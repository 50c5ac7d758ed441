import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OWN_GUIDANCE_KEYS } from '../../src/errors/own-guidance.ts';
import { DIALECTS } from '../../src/upstream/dialects/index.ts';

type Tree = { [key: string]: string | Tree };

function locale(name: string): Tree {
  return JSON.parse(readFileSync(new URL(`../../src/i18n/locales/${name}.json`, import.meta.url), 'utf8')) as Tree;
}

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}

const used = new Set([...Object.values(DIALECTS).flatMap((d) => Object.values(d.rows).map((row) => row.guidance)), ...OWN_GUIDANCE_KEYS]);

describe.each(['da', 'en'])('guidance texts in %s.json', (name) => {
  const texts = leaves((locale(name).guidance ?? {}) as Tree);

  it('has a short text for every guidance key a dialect row uses', () => {
    const missing = [...used].filter((key) => !texts.get(key)?.trim());
    expect(missing).toEqual([]);
    for (const key of used) {
      // "f.eks." is an abbreviation, not the end of a sentence.
      const sentences = texts.get(key)!.replace(/f\.eks\./g, 'feks').split(/(?<=[.!?])\s+/).filter(Boolean);
      expect(sentences.length, key).toBeLessThanOrEqual(3);
    }
  });

  it('has no text that no row uses', () => {
    expect([...texts.keys()].filter((key) => !used.has(key))).toEqual([]);
  });

  it('carries the facts the sources give', () => {
    const t = (key: string) => texts.get(key) ?? '';
    expect(t('nemid.quarantine')).toMatch(/8/);
    expect(t('nemid.quarantine')).toMatch(/NemID[- ]support/);
    expect(t('mitid.blockedTemporarily')).toMatch(/MitID\.dk/);
    expect(t('mitid.blockedPermanently')).toMatch(/chip/i);
  });
});
