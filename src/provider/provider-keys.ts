import type Provider from 'oidc-provider';
// oidc-provider reads its keys once, at construction; its own initialiser swaps them in place (the
// JWKS it publishes and the key it signs with), so instances take up a rotation without a restart.
import initializeKeystore from 'oidc-provider/lib/helpers/initialize_keystore.js';
import instance from 'oidc-provider/lib/helpers/weak_cache.js';
import type { SigningKeys } from './signing-keys.ts';

/**
 * Gives the provider all its keys (it signs with the first and verifies with any) and publishes only
 * `published`: a key retired longer ago than an ID token lives still verifies an old logout hint,
 * but relying parties no longer see it.
 */
export function replaceProviderKeys(provider: Provider, { keys, published }: SigningKeys): void {
  initializeKeystore.call(provider, { keys });
  const state = instance(provider);
  state.jwks = { keys: state.jwks.keys.filter((key) => published.includes(key.kid)) };
}
