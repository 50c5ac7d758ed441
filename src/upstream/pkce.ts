import { createHash } from 'node:crypto';

/**
 * RFC 7636 S256: base64url(SHA-256(verifier)). Hashed here, synchronously: openid-client's WebCrypto
 * digest goes through the thread pool and a promise, which costs more than hashing 43 bytes.
 */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
