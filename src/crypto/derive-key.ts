import { hkdfSync } from 'node:crypto';

/**
 * Every key Portvagt uses has one purpose. A sub-key is derived from a configured secret with HKDF
 * (SHA-256) and the purpose as `info`, so a token signed for one purpose never verifies for another
 * and the configured secret itself signs nothing.
 */
export type KeyPurpose = 'cookie-signing' | 'page-token' | 'cpr-fingerprint' | 'key-encryption' | 'upstream-state' | 'broker-session' | 'account-client' | 'account-state';

export function deriveKey(secret: string, purpose: KeyPurpose, length = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'portvagt', `portvagt/${purpose}`, length));
}

/** The cookie-signing sub-keys of the configured cookie keys, in their order (the first signs, all verify). */
export function cookieSigningKeys(cookieKeys: readonly string[]): string[] {
  return cookieKeys.map((key) => deriveKey(key, 'cookie-signing').toString('base64url'));
}
