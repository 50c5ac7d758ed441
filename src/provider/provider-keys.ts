import type Provider from 'oidc-provider';
// oidc-provider reads its keys once, at construction; its own initialiser swaps them in place (the
// JWKS it publishes and the key it signs with), so instances take up a rotation without a restart.
import initializeKeystore from 'oidc-provider/lib/helpers/initialize_keystore.js';

export function replaceProviderKeys(provider: Provider, keys: object[]): void {
  initializeKeystore.call(provider, { keys });
}
