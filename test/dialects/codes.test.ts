import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../src/upstream/dialects/index.ts';
import { callback, fixture } from './helpers.ts';

/**
 * Every code the source documents list reaches a row when it arrives in the dialect's documented
 * wire format, including the spelling the document uses (case, spaces).
 */
describe('every documented upstream code has a row', () => {
  const cases: [dialect: keyof typeof DIALECTS, file: string, query: (code: string) => Record<string, string>][] = [
    ['nemid', 'nemid-codes.txt', (code) => ({ error: 'access_denied', nemid_error: code })],
    ['hid', 'hid-error-codes.txt', (code) => ({ error: 'access_denied', hid_error: code })],
    ['hid', 'hid-failure-codes.txt', (code) => ({ error: 'access_denied', hid_failure: code })],
    ['onespan', 'onespan-codes.txt', (code) => ({ error: 'access_denied', onespan_status: code })],
    ['mitid', 'mitid-reasons.txt', (code) => ({ error: 'access_denied', error_description: code })],
  ];

  it.each(cases)('%s: %s', (name, file, query) => {
    const dialect = DIALECTS[name];
    const codes = fixture(file);
    expect(codes.length).toBeGreaterThan(0);
    const missing = codes.filter((code) => {
      const reason = dialect.reason(callback(query(code)));
      return reason === undefined || !Object.hasOwn(dialect.rows, reason);
    });
    expect(missing).toEqual([]);
  });

  it('has exactly one row per documented code (no stray or duplicate keys)', () => {
    expect(Object.keys(DIALECTS.nemid.rows).sort()).toEqual(fixture('nemid-codes.txt').sort());
    expect(Object.keys(DIALECTS.onespan.rows).sort()).toEqual(fixture('onespan-codes.txt').sort());
    const hidKeys = [
      ...fixture('hid-error-codes.txt').map((code) => `hid_error:${code}`),
      ...fixture('hid-failure-codes.txt').map((code) => `hid_failure:${code}`),
    ];
    expect(Object.keys(DIALECTS.hid.rows).sort()).toEqual(hidKeys.sort());
  });

  it('maps every row to 5500, 5501 or 5502', () => {
    for (const dialect of Object.values(DIALECTS)) {
      for (const [reason, row] of Object.entries(dialect.rows)) {
        expect([5500, 5501, 5502], `${dialect.name} ${reason}`).toContain(row.code);
      }
    }
  });

  it('has the rows the guide and the MitID help page call for', () => {
    const { nemid, mitid } = DIALECTS;
    expect(nemid.rows.LOCK001).toMatchObject({ code: 5502, guidance: 'nemid.quarantine', retry: false, contact: 'upstream', links: ['nemidSupport'] });
    expect(nemid.rows.CAN002?.code).toBe(5500);
    expect(nemid.rows.SRV004?.code).toBe(5501);
    expect(mitid.rows.mitid_authenticator_blocked_temporarily?.code).toBe(5502);
    expect(mitid.rows.mitid_authenticator_blocked_permanently?.code).toBe(5502);
    expect(mitid.rows.mitid_authenticator_revoked?.code).toBe(5502);
    expect(mitid.rows.mitid_identity_not_allowed?.code).toBe(5502);
    expect(mitid.rows.mitid_assurance_level_not_met?.code).toBe(5502);
    expect(mitid.rows.mitid_technical_error?.code).toBe(5501);
    expect(mitid.rows.mitid_user_aborted?.code).toBe(5500);
    expect(DIALECTS.oidc.rows).toEqual({});
  });
});
