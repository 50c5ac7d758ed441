import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { deriveKey } from './derive-key.ts';

const FORMAT = 'v1';

interface Kek {
  id: string;
  key: Buffer;
}

/**
 * Encrypts private keys at rest with AES-256-GCM under a key-encryption key: the first configured
 * secret's 'key-encryption' sub-key encrypts, every configured one decrypts (each sealed value names
 * its key by id). The key id is bound as associated data, so a sealed key cannot be moved to another row.
 */
export class KeyEncryption {
  readonly #keks: Kek[];

  constructor(secrets: readonly string[]) {
    if (secrets.length === 0) throw new Error('no key-encryption secret');
    this.#keks = secrets.map((secret) => {
      const key = deriveKey(secret, 'key-encryption');
      return { id: createHash('sha256').update(key).digest('base64url').slice(0, 8), key };
    });
  }

  /** `v1.<kek id>.<iv>.<ciphertext>.<tag>`, all base64url. */
  seal(kid: string, plaintext: string): string {
    const kek = this.#keks[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', kek.key, iv).setAAD(Buffer.from(kid));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, kek.id, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  /** Whether a stored value is sealed under the current (first) key-encryption key. */
  sealedWithCurrent(stored: string): boolean {
    return stored.startsWith(`${FORMAT}.${this.#keks[0]!.id}.`);
  }

  /** The plaintext; a value stored before encryption (plain JSON) is returned as it is. */
  open(kid: string, stored: string): string {
    if (stored.startsWith('{')) return stored;
    const [format, kekId, iv, ciphertext, tag] = stored.split('.');
    const kek = this.#keks.find((k) => k.id === kekId);
    if (format !== FORMAT || !kek || !iv || !ciphertext || !tag) throw new Error(`signing key ${kid}: sealed with a key-encryption key that is not configured`);
    const decipher = createDecipheriv('aes-256-gcm', kek.key, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(kid));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}
