import type Provider from 'oidc-provider';
import { brokerProvider, outcomeParts } from '../broker-provider.ts';
import { systemClock } from '../clock.ts';
import { createLogger } from '../logger.ts';
import type { RevocationDeps } from '../provider/session-revocation.ts';
import { keyLifecycle } from '../provider/signing-keys.ts';
import type { EphemeralStore } from '../store/ephemeral/ephemeral-store.ts';
import { openEphemeralStore } from '../store/ephemeral/index.ts';
import { createConnectors } from '../upstream/registry.ts';
import type { CommandInput } from './command.ts';

/**
 * The instances' provider, made here as every instance makes it (their keys, clients and store), to
 * end sessions' OpenID Connect sessions and sign the systems' logout tokens; only when there is one to
 * end, so that a change to an account never makes signing keys in a store no instance has used yet.
 * A delivery that fails is tried once from here; an instance retries those it sends itself.
 */
async function cliProvider(input: CommandInput, store: EphemeralStore): Promise<Provider> {
  const config = input.config();
  const stores = await input.stores();
  const log = createLogger({ level: 'warn', destination: input.stderr });
  const { pages, metrics, journal, errors } = outcomeParts(config, { audit: stores.audit, store, log });
  const connectors = createConnectors(config.methods.values(), config.timeouts.upstream_http_ms, log);
  return (await brokerProvider(config, { durable: stores.durable, store, accounts: stores.accounts, pages, fail: errors.fail, log, metrics, journal, connectors, clock: systemClock, lifecycle: keyLifecycle(config) })).provider;
}

/**
 * Runs an account change that ends sessions, with what ending them needs, on the instances' shared
 * store. With `storage.redis_url: memory` the sessions live only in the instance's process: the
 * change is made, and there is no session here to end.
 */
export async function withSessionEnding<T>(input: CommandInput, use: (deps: RevocationDeps) => Promise<T>): Promise<T> {
  const { storage } = input.config();
  const store = openEphemeralStore({ redisUrl: storage.redis_url, redisPrefix: storage.redis_prefix, redisTimeoutMs: storage.redis_timeout_ms, dataDir: storage.data_dir });
  try {
    let provider: Promise<Provider> | undefined;
    return await use({ provider: () => (provider ??= cliProvider(input, store)), store, ops: (await input.stores()).ops, clock: systemClock });
  } finally {
    await store.close();
  }
}
