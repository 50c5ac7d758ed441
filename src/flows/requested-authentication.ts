import { levelOfUri, lowest, type NsisLevel } from '../assurance.ts';
import type { RequestedAuthentication } from './release-gate.ts';

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Levels of the NSIS URIs among space-separated values; other values are not levels Portvagt knows, and are left out. */
const levelsOf = (values: readonly unknown[]): NsisLevel[] => values.flatMap((v) => (typeof v === 'string' ? (v.split(' ').map(levelOfUri).filter(Boolean) as NsisLevel[]) : []));

/**
 * The essential `acr` request of the `claims` parameter for the ID token (OIDC Core 5.5.1.1), as levels;
 * an essential request naming no NSIS level is an empty list, which no login can satisfy.
 */
function essentialAcr(claimsParam: unknown): NsisLevel[] | undefined {
  let claims: unknown;
  try {
    claims = typeof claimsParam === 'string' ? JSON.parse(claimsParam) : claimsParam;
  } catch {
    // oidc-provider refuses a `claims` that is not JSON before an interaction starts.
    return undefined;
  }
  const acr = (claims as { id_token?: { acr?: { essential?: unknown; value?: unknown; values?: unknown } | null } } | null)?.id_token?.acr;
  if (acr?.essential !== true) return undefined;
  return levelsOf([acr.value, ...(Array.isArray(acr.values) ? acr.values : [])]);
}

/**
 * What the system's authorization request asks of the login (docs/flows.md, "What a system may ask
 * for"): the level of `acr_values` or of an essential `acr`, `max_age` and `prompt=login`.
 */
export function requestedAuthentication(params: Record<string, unknown>, at: number): RequestedAuthentication {
  const essential = essentialAcr(params.claims);
  const voluntary = levelsOf([params.acr_values]);
  const maxAge = Number(params.max_age);
  return {
    level: lowest(essential ?? voluntary),
    essentialAcr: essential,
    maxAge: params.max_age !== undefined && Number.isInteger(maxAge) && maxAge >= 0 ? maxAge : undefined,
    freshLogin: (text(params.prompt) ?? '').split(' ').includes('login'),
    at,
  };
}
