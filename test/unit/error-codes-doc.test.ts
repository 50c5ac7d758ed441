import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/errors/catalogue.ts';
import { translate } from '../../src/i18n/i18n.ts';
import { readDoc, tableRows } from '../helpers/markdown.ts';

describe('docs/error-codes.md', () => {
  it('lists every code of the catalogue with its HTTP status, kind and titles', () => {
    const rows = tableRows(readDoc('docs/error-codes.md'), 'code');
    const expected = Object.entries(CATALOGUE).map(([code, entry]) => [
      code,
      String(entry.status),
      entry.category,
      translate('en', `codes.${code}.title`),
      translate('da', `codes.${code}.title`),
    ]);
    expect(rows).toEqual(expected);
  });
});
