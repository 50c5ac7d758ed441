/**
 * Reading an upstream's ID token claims through its profile, and the mocks' inverse: writing a
 * level the way a broker spells it. Every reader takes whatever the upstream sent and never throws.
 */
import type { NsisLevel } from '../../assurance.ts';
import type { BrokerProfile, IdentityClaim } from './profile.ts';

type Claims = Readonly<Record<string, unknown>>;

/** The first non-empty string among the claims a profile names for a field (a number is read as its digits). */
export function claimValue(profile: BrokerProfile, claims: Claims, field: IdentityClaim): string | undefined {
  for (const name of profile.claims[field] ?? []) {
    const value = Object.hasOwn(claims, name) ? claims[name] : undefined;
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return undefined;
}

/** The NSIS level the login reached, from the first level claim the profile recognises; undefined if none. */
export function levelOf(profile: BrokerProfile, claims: Claims): NsisLevel | undefined {
  const spellings = new Map(Object.entries(profile.level.values).map(([value, level]) => [value.toLowerCase(), level]));
  for (const name of profile.level.claims) {
    const value = Object.hasOwn(claims, name) ? claims[name] : undefined;
    const level = typeof value === 'string' ? spellings.get(value.trim().toLowerCase()) : undefined;
    if (level) return level;
  }
  return undefined;
}

/** The authenticators the upstream names (`amr`, a list or one value), at most 8 short labels. */
export function amrOf(profile: BrokerProfile, claims: Claims): string[] {
  const value = profile.amrClaim && Object.hasOwn(claims, profile.amrClaim) ? claims[profile.amrClaim] : undefined;
  const values = Array.isArray(value) ? value : [value];
  return values.filter((v): v is string => typeof v === 'string' && /^[\w.:-]{1,64}$/.test(v)).slice(0, 8);
}

/** How the broker writes a level (the first spelling its profile lists): for the mock upstreams. */
export function levelSpelling(profile: BrokerProfile, level: NsisLevel): string | undefined {
  return Object.entries(profile.level.values).find(([, l]) => l === level)?.[0];
}
