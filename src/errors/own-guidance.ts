/**
 * Guidance keys (under `guidance.` in the locale files) for failures Portvagt finds itself rather
 * than an upstream reports; the dialect rows carry the upstreams' own.
 */
export const OWN_GUIDANCE = {
  /** A login below the required NSIS level, per required level (`low` is never refused). */
  levelTooLow: { substantial: 'assurance.substantial', high: 'assurance.high' },
  /** A CPR match without a CPR from the upstream or a stored fingerprint. */
  cprMissing: 'claims.cprMissing',
} as const;

export const OWN_GUIDANCE_KEYS: readonly string[] = [...Object.values(OWN_GUIDANCE.levelTooLow), OWN_GUIDANCE.cprMissing];
