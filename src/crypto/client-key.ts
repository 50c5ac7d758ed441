/**
 * The private key Portvagt signs `private_key_jwt` client assertions with towards an upstream: read
 * from a PEM or JWK text (a file, or the environment), and its public JWK for registration at the
 * broker. RSA (RS256), EC P-256/P-384 (ES256/ES384) and Ed25519 (EdDSA) keys.
 */
import { createHash, createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject, type webcrypto } from 'node:crypto';

export interface ClientKey {
  readonly privateKey: KeyObject;
  readonly alg: string;
  readonly kid: string;
  /** The public half to register at the broker: no private member. */
  readonly publicJwk: JsonWebKey & { kid: string; alg: string; use: 'sig' };
}

interface Algorithm {
  alg: string;
  webCrypto: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams | webcrypto.Algorithm;
}

function algorithmOf(key: KeyObject): Algorithm {
  const type = key.asymmetricKeyType;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (type === 'rsa') return { alg: 'RS256', webCrypto: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } };
  if (type === 'ec' && curve === 'prime256v1') return { alg: 'ES256', webCrypto: { name: 'ECDSA', namedCurve: 'P-256' } };
  if (type === 'ec' && curve === 'secp384r1') return { alg: 'ES384', webCrypto: { name: 'ECDSA', namedCurve: 'P-384' } };
  if (type === 'ed25519') return { alg: 'EdDSA', webCrypto: { name: 'Ed25519' } };
  throw new Error(`a ${type ?? 'unknown'}${curve ? ` ${curve}` : ''} key cannot sign client assertions (RSA, EC P-256/P-384 or Ed25519)`);
}

/** RFC 7638 thumbprint: the key id when the JWK gives none. */
function thumbprint(jwk: JsonWebKey): string {
  const members: Record<string, string[]> = { RSA: ['e', 'kty', 'n'], EC: ['crv', 'kty', 'x', 'y'], OKP: ['crv', 'kty', 'x'] };
  const required = members[String(jwk.kty)] ?? [];
  const canonical = JSON.stringify(Object.fromEntries(required.map((name) => [name, jwk[name]])));
  return createHash('sha256').update(canonical).digest('base64url');
}

/** Parses a PEM private key or a private JWK (JSON); throws an Error whose message says what is wrong, never the key. */
export function parseClientKey(text: string): ClientKey {
  const trimmed = text.trim();
  let privateKey: KeyObject;
  let kid: string | undefined;
  try {
    if (trimmed.startsWith('{')) {
      const jwk = JSON.parse(trimmed) as JsonWebKey;
      kid = typeof jwk.kid === 'string' && jwk.kid !== '' ? jwk.kid : undefined;
      privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
    } else {
      privateKey = createPrivateKey(trimmed);
    }
  } catch {
    throw new Error('not a PEM private key or a private JWK');
  }
  const { alg } = algorithmOf(privateKey);
  const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const id = kid ?? thumbprint(publicJwk);
  return { privateKey, alg, kid: id, publicJwk: { ...publicJwk, kid: id, alg, use: 'sig' } };
}

/** The key as WebCrypto wants it for signing (openid-client's PrivateKeyJwt). */
export function signingCryptoKey(key: ClientKey): webcrypto.CryptoKey {
  return key.privateKey.toCryptoKey(algorithmOf(key.privateKey).webCrypto, false, ['sign']);
}
