import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The Danish texts in one style (docs/error-codes.md, "Languages"): the new comma, with no comma before
 * a subordinate clause; MitID's own words for its authenticators. Checked on the words that can only
 * start a subordinate clause, so a comma between two main clauses ("…, så det hjælper ikke") is left alone.
 */
type Tree = { [key: string]: string | Tree };
const leaves = (tree: Tree, prefix = ''): [string, string][] =>
  Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [[prefix + key, value] as [string, string]] : leaves(value, `${prefix}${key}.`)));
const danish = leaves(JSON.parse(readFileSync(new URL('../../src/i18n/locales/da.json', import.meta.url), 'utf8')) as Tree);

describe('the Danish texts', () => {
  it('use the new comma: none before a subordinate clause', () => {
    const startComma = /, (fordi|som|når|at|hvordan|selvom|mens|inden|eftersom|idet)\b/;
    expect(danish.filter(([, text]) => startComma.test(text)).map(([key, text]) => `${key}: …${startComma.exec(text)![0]}…`)).toEqual([]);
  });

  it('call the audio code reader "kodeoplæser", as MitID does', () => {
    expect(danish.filter(([, text]) => /kodelæser/i.test(text)).map(([key]) => key)).toEqual([]);
  });
});
