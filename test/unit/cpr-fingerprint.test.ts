import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkCprFingerprint, cprFingerprint } from '../../src/accounts/cpr.ts';

const OLD = 'the-cpr-key-before-the-rotation-0001';
const NEW = 'the-cpr-key-after-the-rotation-00002';
const before = { cpr_hmac_key: OLD, cpr_hmac_previous_keys: [] };
const after = { cpr_hmac_key: NEW, cpr_hmac_previous_keys: [OLD] };
const CPR = '0101901234';

describe('CPR fingerprints with a key id', () => {
  it('name their key and never contain the CPR number or the configured key', () => {
    const fingerprint = cprFingerprint(before, CPR);
    expect(fingerprint).toMatch(/^[\w-]{8}:[\w-]{43}$/);
    expect(fingerprint).not.toContain(CPR);
    expect(cprFingerprint(after, CPR).split(':')[0]).not.toBe(fingerprint.split(':')[0]);
  });

  it('after a rotation, old fingerprints still match (stale, to be re-made) and new ones are current', () => {
    const old = cprFingerprint(before, CPR);
    expect(checkCprFingerprint(after, CPR, old)).toBe('stale');
    expect(checkCprFingerprint(after, CPR, cprFingerprint(after, CPR))).toBe('current');
    expect(checkCprFingerprint(after, '0202021234', old)).toBeUndefined();
    // Once the old key is dropped from the configuration its fingerprints match nothing.
    expect(checkCprFingerprint({ cpr_hmac_key: NEW, cpr_hmac_previous_keys: [] }, CPR, old)).toBeUndefined();
  });

  it('matches fingerprints stored before key ids (keyed with the configured secret) as stale', () => {
    const legacy = createHmac('sha256', OLD).update(`cpr:${CPR}`).digest('base64url');
    expect(checkCprFingerprint(before, CPR, legacy)).toBe('stale');
    expect(checkCprFingerprint(after, CPR, legacy)).toBe('stale');
    expect(checkCprFingerprint(before, '0202021234', legacy)).toBeUndefined();
  });

  it('refuses a fingerprint with a known key id but another HMAC', () => {
    const [id] = cprFingerprint(before, CPR).split(':');
    expect(checkCprFingerprint(before, CPR, `${id}:${'A'.repeat(43)}`)).toBeUndefined();
  });
});
