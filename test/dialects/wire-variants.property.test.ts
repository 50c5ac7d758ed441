import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { errorContent } from '../../src/outcomes/error-content.ts';
import type { Dialect } from '../../src/upstream/dialects/dialect.ts';
import { DIALECTS, translateErrorResponse } from '../../src/upstream/dialects/index.ts';
import { callback, fakeLog, fixture, wrapped } from './helpers.ts';

/**
 * What real upstreams send differs from the documents in case, separators, padding, parameter and
 * trailing text. Every seed code, in every wire variant below (at least six per dialect), must land
 * on the row of its canonical form; and no string at all may throw or reach the page.
 */

const { nemid, hid, onespan, mitid } = DIALECTS;
const RUNS = { numRuns: 300 };

const oneOf = <T,>(values: readonly T[]) => fc.constantFrom(...values);
/** Free text after a code, starting with a separator so it cannot extend the code. */
const trailing = fc.tuple(oneOf([': ', ' ', ' - ', ', ', ' (']), fc.string({ maxLength: 40 })).map(([sep, text]) => `${sep}${text}`);

function reasonOf(dialect: Dialect, query: Record<string, string>): string | undefined {
  return dialect.reason(callback(query));
}

describe('NemID codes in any of their wire variants', () => {
  const codes = fixture('nemid-codes.txt');
  // Variants: separator (4) × case × parameter (3) × trailing text, e.g. `lock-001`, `LOCK_001`, `Lock 001: user locked` in error_description.
  const variant = fc.record({
    code: oneOf(codes),
    separator: oneOf(['', '-', '_', ' ']),
    where: oneOf(['nemid_error', 'error', 'error_description'] as const),
    lead: oneOf(['', 'NemID error ', 'code=']),
    tail: fc.option(trailing, { nil: undefined }),
    casing: fc.boolean(),
  });

  it('land on the row of the canonical code', () => {
    fc.assert(
      fc.property(variant, fc.context(), (v, ctx) => {
        const [, series, digits] = /^([A-Z]+)(\d+)$/.exec(v.code)!;
        const spelled = `${v.lead}${v.casing ? series!.toLowerCase() : series}${v.separator}${digits}${v.tail ?? ''}`;
        const query = v.where === 'error' ? { error: spelled } : { error: 'access_denied', [v.where]: spelled };
        ctx.log(JSON.stringify(query));
        expect(reasonOf(nemid, query)).toBe(v.code);
      }),
      RUNS,
    );
  });
});

describe('HID codes in any of their wire variants', () => {
  const keys = [
    ...fixture('hid-error-codes.txt').map((code) => ['hid_error', code] as const),
    ...fixture('hid-failure-codes.txt').map((code) => ['hid_failure', code] as const),
  ];
  // Variants: padding, leading zeros, a plus sign, and a meaningless hid_failure=-1 beside a hid_error.
  const variant = fc.record({
    key: oneOf(keys),
    pad: oneOf(['', ' ', '\t', '  ']),
    zeros: oneOf(['', '0', '00']),
    plus: fc.boolean(),
    undefinedFailure: fc.boolean(),
  });

  it('land on the row of the canonical code', () => {
    fc.assert(
      fc.property(variant, (v) => {
        const [name, code] = v.key;
        const negative = code.startsWith('-');
        const digits = negative ? code.slice(1) : code;
        const value = `${v.pad}${negative ? '-' : v.plus ? '+' : ''}${v.zeros}${digits}${v.pad}`;
        const query: Record<string, string> = { error: 'access_denied', [name]: value };
        if (name === 'hid_error' && v.undefinedFailure) query.hid_failure = '-1';
        expect(reasonOf(hid, query)).toBe(`${name}:${code}`);
      }),
      RUNS,
    );
  });
});

describe('OneSpan statuses in any of their wire variants', () => {
  const names: Record<string, string[]> = {};
  for (const match of fixtureNames()) (names[match.code] ??= []).push(match.name);
  const codes = fixture('onespan-codes.txt');
  // Variants: number (padded, zero-led), STAT_ name in any case, `-` for `_`, without `STAT_`, number or name with trailing text.
  const variant = fc.record({
    code: oneOf(codes),
    form: oneOf(['number', 'zeros', 'name', 'bare', 'dashed', 'numberText', 'nameText'] as const),
    tail: trailing,
    casing: fc.boolean(),
  });

  it('land on the row of the canonical number', () => {
    fc.assert(
      fc.property(variant, (v) => {
        const name = names[v.code]![0]!;
        const cased = v.casing ? name.toLowerCase() : name;
        const value = {
          number: ` ${v.code} `,
          zeros: `00${v.code}`,
          name: cased,
          bare: cased.replace(/^stat_/i, ''),
          dashed: cased.replace(/_/g, '-'),
          numberText: `${v.code} ${name}`,
          nameText: `${cased}${v.tail}`,
        }[v.form];
        expect(reasonOf(onespan, { error: 'access_denied', onespan_status: value })).toBe(v.code);
      }),
      RUNS,
    );
  });

  it('reads every name the seed gives a status, aliases included', () => {
    for (const { code, name } of fixtureNames()) expect(reasonOf(onespan, { onespan_status: name }), name).toBe(code);
  });
});

describe('MitID labels in any of their wire variants', () => {
  const labels = Object.keys(mitid.rows);
  // Variants: case, `-` or space for `_`, in error or error_description, free text after it, inside the base64url wrapper.
  const variant = fc.record({
    label: oneOf(labels),
    separator: oneOf(['_', '-', ' ']),
    where: oneOf(['error', 'error_description', 'wrapped'] as const),
    tail: fc.option(trailing, { nil: undefined }),
    casing: fc.boolean(),
  });

  it('land on the row of the canonical label', () => {
    fc.assert(
      fc.property(variant, (v) => {
        const spelled = `${(v.casing ? v.label.toUpperCase() : v.label).replace(/_/g, v.separator)}${v.where === 'wrapped' ? '' : (v.tail ?? '')}`;
        const query: Record<string, string> =
          v.where === 'error'
            ? { error: spelled }
            : { error: 'access_denied', error_description: v.where === 'wrapped' ? wrapped({ Code: spelled, Displayed: 'true' }) : spelled };
        expect(reasonOf(mitid, query)).toBe(v.label);
      }),
      RUNS,
    );
  });
});

describe('random callbacks', () => {
  const config = parseConfig({
    secrets: { cookie_keys: ['k'.repeat(32)], cpr_hmac_key: 'c'.repeat(32) },
    tenants: [{ id: 'acme', name: 'Acme' }],
    clients: [{ client_id: 'rp', client_secret: 's'.repeat(16), redirect_uris: ['https://rp.example/cb'], display_name: 'RP', tenants: ['acme'], login_methods: ['up'] }],
    upstreams: [{ id: 'up', display_name: 'Up', dialect: 'nemid', mock: 'nemid', client_id: 'x', client_secret: 'y' }],
  });
  const value = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }));
  const params = fc.dictionary(oneOf(['error', 'error_description', 'nemid_error', 'hid_error', 'hid_failure', 'onespan_status', 'state', 'iss']), value);
  /** Text long and specific enough that finding it on a page can only mean it was copied there. */
  const marked = (query: Record<string, string>) => Object.values(query).filter((v) => /[A-Za-z0-9]{6,}/.test(v) && v.trim().length >= 8);

  it.each(Object.values(DIALECTS).map((d) => [d.name, d] as const))('%s: never throw and never reach the page', (_name, dialect) => {
    fc.assert(
      fc.property(params, (query) => {
        const error = translateErrorResponse(dialect, callback(query), 'up', fakeLog());
        expect([501, 3003, 5500, 5501, 5502]).toContain(error.code);
        const page = JSON.stringify(errorContent(config, error, { clientId: 'rp', tenant: 'acme', method: 'up', retryUrl: '/interaction/x' }, 'da'));
        for (const text of marked(query)) expect(page).not.toContain(JSON.stringify(text).slice(1, -1));
      }),
      RUNS,
    );
  });
});

/** STAT_* names per status number, aliases included, copied from seed 004. */
function fixtureNames(): { code: string; name: string }[] {
  return fixture('onespan-names.txt').map((line) => {
    const [code, name] = line.split(/\s+/);
    return { code: code!, name: name! };
  });
}
