import { describe, expect, it } from 'vitest';
import { cookieSigningKeys, deriveKey } from '../../src/crypto/derive-key.ts';

describe('deriveKey', () => {
  const secret = 'a-configured-secret-of-at-least-32-characters';

  it('gives each purpose its own key, none equal to the secret', () => {
    const keys = (['cookie-signing', 'page-token', 'cpr-fingerprint', 'key-encryption', 'upstream-state'] as const).map((p) => deriveKey(secret, p).toString('hex'));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).not.toContain(Buffer.from(secret).toString('hex'));
  });

  it('is stable for the same secret and purpose, and changes with the secret', () => {
    expect(deriveKey(secret, 'page-token')).toEqual(deriveKey(secret, 'page-token'));
    expect(deriveKey(`${secret}x`, 'page-token')).not.toEqual(deriveKey(secret, 'page-token'));
    expect(deriveKey(secret, 'page-token')).toHaveLength(32);
  });
});

describe('cookieSigningKeys', () => {
  it('signs cookies with sub-keys in the configured order, never with a configured key itself', () => {
    const configured = ['first-cookie-key-of-at-least-32-chars', 'second-cookie-key-of-at-least-32-char'];
    const keys = cookieSigningKeys(configured);
    expect(keys).toEqual(configured.map((k) => deriveKey(k, 'cookie-signing').toString('base64url')));
    expect(keys.some((k) => configured.includes(k))).toBe(false);
  });
});
