// The internal modules of oidc-provider Portvagt uses (src/provider/provider-keys.ts).
declare module 'oidc-provider/lib/helpers/initialize_keystore.js' {
  export default function initializeKeystore(this: unknown, jwks: { keys: object[] }): void;
}
declare module 'oidc-provider/lib/helpers/weak_cache.js' {
  /** A provider's private state; `jwks` is what it publishes at its JWKS endpoint. */
  export default function instance(provider: unknown): { jwks: { keys: { kid: string }[] } };
}
