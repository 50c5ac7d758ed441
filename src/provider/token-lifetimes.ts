/**
 * Lifetimes (seconds) of what oidc-provider issues and keeps; the signing keys' publication follows
 * the ID token's, and how long a retired key still verifies follows the session's.
 */
export const CODE_TTL = 60;
export const ACCESS_TOKEN_TTL = 600;
export const ID_TOKEN_TTL = 600;
export const SESSION_TTL = 8 * 3600;
