// The one internal module of oidc-provider Portvagt uses (src/provider/provider-keys.ts).
declare module 'oidc-provider/lib/helpers/initialize_keystore.js' {
  export default function initializeKeystore(this: unknown, jwks: { keys: object[] }): void;
}
