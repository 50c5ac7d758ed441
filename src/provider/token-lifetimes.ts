/** Lifetimes (seconds) of what oidc-provider issues; the signing keys' retention follows the ID token's. */
export const CODE_TTL = 60;
export const ACCESS_TOKEN_TTL = 600;
export const ID_TOKEN_TTL = 600;
