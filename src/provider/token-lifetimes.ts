import type { Config } from '../config/model.ts';

/**
 * Lifetimes (seconds) of what oidc-provider issues and keeps; the signing keys' publication follows
 * the ID token's, and how long a retired key still verifies follows the session's.
 */
export const CODE_TTL = 60;
export const ACCESS_TOKEN_TTL = 600;
export const ID_TOKEN_TTL = 600;
/** The OpenID Connect session towards the systems: as long as the longest single sign-on session of a tenant (docs/flows.md), an hour at least. */
export function sessionTtl(config: Pick<Config, 'tenants'>): number {
  return Math.max(3600, ...[...config.tenants.values()].map((t) => Math.ceil(t.sso.maxMs / 1000)));
}
