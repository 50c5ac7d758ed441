import { createHash, createHmac } from 'node:crypto';
import type { Config } from '../config/model.ts';
import { deriveKey } from '../crypto/derive-key.ts';
import { safeEqual } from '../crypto/safe-equal.ts';

/** CPR numbers as typed: 10 digits, optionally with a dash after the date part. */
const CPR_FORMAT = /^(\d{2})(\d{2})(\d{2})-?(\d{4})$/;

/** The canonical 10 digits if the input looks like a CPR number with a real calendar date, else undefined. */
export function normaliseCpr(input: string): string | undefined {
  const match = CPR_FORMAT.exec(input.trim().replace(/\s/g, ''));
  if (!match) return undefined;
  const [, dd, mm, yy, serial] = match as unknown as [string, string, string, string, string];
  const day = Number(dd);
  const month = Number(mm);
  // The century depends on the serial number; any century with the date valid makes it plausible.
  const plausible = [1900, 2000, 1800].some((century) => {
    const date = new Date(Date.UTC(century + Number(yy), month - 1, day));
    return date.getUTCDate() === day && date.getUTCMonth() === month - 1;
  });
  return plausible ? `${dd}${mm}${yy}${serial}` : undefined;
}

type CprSecrets = Pick<Config['secrets'], 'cpr_hmac_key' | 'cpr_hmac_previous_keys'>;

interface CprKey {
  /** Names the key inside a fingerprint without revealing it: a hash of the derived key. */
  id: string;
  key: Buffer;
  /** The configured secret itself, which keyed the fingerprints made before they carried a key id. */
  secret: string;
}

function cprKey(secret: string): CprKey {
  const key = deriveKey(secret, 'cpr-fingerprint');
  return { id: createHash('sha256').update(key).digest('base64url').slice(0, 8), key, secret };
}

const mac = (key: Buffer | string, cpr: string) => createHmac('sha256', key).update(`cpr:${cpr}`).digest('base64url');

const keyrings = new WeakMap<CprSecrets, CprKey[]>();

/** The current CPR key first, then the previous ones (derived once per configuration). */
function keyring(secrets: CprSecrets): CprKey[] {
  let ring = keyrings.get(secrets);
  if (!ring) keyrings.set(secrets, (ring = [secrets.cpr_hmac_key, ...secrets.cpr_hmac_previous_keys].map(cprKey)));
  return ring;
}

/**
 * A keyed fingerprint of a CPR number, `<key id>:<HMAC>` under the current CPR key's own sub-key:
 * comparable, never reversible without the key, and naming its key so the key can be rotated.
 */
export function cprFingerprint(secrets: CprSecrets, cpr: string): string {
  const [current] = keyring(secrets) as [CprKey];
  return `${current.id}:${mac(current.key, cpr)}`;
}

/**
 * Whether `fingerprint` is of `cpr`: `current` when the current key made it, `stale` when a previous
 * key did (or it predates key ids: keyed with the configured secret itself), so the caller re-makes
 * it; `undefined` when it is another number's or no configured key made it.
 */
export function checkCprFingerprint(secrets: CprSecrets, cpr: string, fingerprint: string): 'current' | 'stale' | undefined {
  const ring = keyring(secrets);
  const separator = fingerprint.indexOf(':');
  if (separator < 0) return ring.some((k) => safeEqual(mac(k.secret, cpr), fingerprint)) ? 'stale' : undefined;
  const key = ring.find((k) => k.id === fingerprint.slice(0, separator));
  if (!key || !safeEqual(`${key.id}:${mac(key.key, cpr)}`, fingerprint)) return undefined;
  return key === ring[0] ? 'current' : 'stale';
}

export type CprConfirmationResult = { result: 'invalid' } | { result: 'mismatch' } | { result: 'match'; confirmation: { fingerprint: string; stored: string | null } };

/**
 * Checks a typed CPR number against every reference there is: the account's stored fingerprint (made
 * by any configured key) and the fingerprint of the CPR the upstream delivered. On a match, the typed
 * number's fingerprint under the current key and the stored fingerprint it matched: only fingerprints
 * leave this function.
 */
export function confirmCpr(secrets: CprSecrets, typed: string, references: { stored: string | null; delivered?: string | undefined }): CprConfirmationResult {
  const cpr = normaliseCpr(typed);
  if (!cpr) return { result: 'invalid' };
  const matches = [references.stored, references.delivered].every((reference) => !reference || checkCprFingerprint(secrets, cpr, reference) !== undefined);
  return matches ? { result: 'match', confirmation: { fingerprint: cprFingerprint(secrets, cpr), stored: references.stored } } : { result: 'mismatch' };
}
