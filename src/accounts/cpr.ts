import { createHmac } from 'node:crypto';

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

/** A keyed fingerprint of a CPR number: comparable, never reversible without the key. */
export function cprFingerprint(key: string, cpr: string): string {
  return createHmac('sha256', key).update(`cpr:${cpr}`).digest('base64url');
}
