/**
 * Small, total helpers the dialects share for reading callback parameters. Everything here takes
 * whatever an upstream (or an attacker posing as one) put on the redirect and never throws.
 */

/** The first value of a callback parameter, trimmed; undefined when absent or blank. */
export function param(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name)?.trim();
  return value ? value : undefined;
}

/** Upper case, no whitespace: how the code-style reasons (NemID `LOCK001`) are keyed. */
export function compactUpper(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

/**
 * A numeric reason without whitespace, sign clutter or leading zeros (` 0100 ` → `100`, `+2` → `2`,
 * `-01` → `-1`), so that one code has one key. Anything not an integer is only compacted.
 */
export function integerKey(value: string): string {
  const compact = value.replace(/\s+/g, '');
  const match = /^([+-]?)0*(\d+)$/.exec(compact);
  if (!match) return compact;
  const digits = match[2]!;
  return match[1] === '-' && digits !== '0' ? `-${digits}` : digits;
}

/** At most `max` UTF-16 units, never ending in half a surrogate pair: for the log and audit only. */
export function clip(value: string | undefined, max = 200): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (trimmed.length <= max) return trimmed;
  const cut = trimmed.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}
