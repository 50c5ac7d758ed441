import type Provider from 'oidc-provider';
import type { AccountRepository } from './accounts/accounts.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config/model.ts';
import { silentRelease } from './flows/single-sign-on.ts';
import { pageRenderer, type PageRenderer } from './http/page.ts';
import { pageTokens } from './http/page-token.ts';
import type { Logger } from './logger.ts';
import { Metrics } from './ops/metrics.ts';
import type { AuditLog } from './outcomes/audit-log.ts';
import { errorPages, type ErrorResponder } from './outcomes/error-page.ts';
import { OutcomeJournal } from './outcomes/journal.ts';
import { logoutPages } from './provider/logout.ts';
import { createProvider } from './provider/provider.ts';
import { replaceProviderKeys } from './provider/provider-keys.ts';
import { loadSigningKeys, type KeyLifecycle, type SigningKeys } from './provider/signing-keys.ts';
import type { DurableStore } from './store/durable/database.ts';
import type { EphemeralStore } from './store/ephemeral/ephemeral-store.ts';
import type { Connector } from './upstream/connector.ts';

/**
 * What records outcomes and shows pages, as every instance makes it (and the CLI, whose provider
 * needs the same): the page renderer and tokens, the metrics, the journal and the error pages.
 */
export function outcomeParts(config: Config, parts: { audit: AuditLog; store: EphemeralStore; log: Logger }) {
  const pages = pageRenderer({ accessibilityStatementUrl: config.accessibility_statement_url });
  const tokens = pageTokens(config.secrets.cookie_keys);
  const metrics = new Metrics(config);
  const journal = new OutcomeJournal({ audit: parts.audit, metrics, log: parts.log });
  const errors = errorPages({ config, journal, pages, store: parts.store, tokens });
  return { pages, tokens, metrics, journal, errors };
}

export interface BrokerProviderParts {
  durable: DurableStore;
  store: EphemeralStore;
  accounts: AccountRepository;
  pages: PageRenderer;
  fail: ErrorResponder;
  log: Logger;
  metrics: Metrics;
  journal: OutcomeJournal;
  connectors: ReadonlyMap<string, Connector>;
  clock: Clock;
  lifecycle: KeyLifecycle;
  /** Shorter back-channel retries (tests). */
  backchannelRetriesMs?: readonly number[] | undefined;
}

/**
 * The OpenID Provider towards the systems as every instance runs it, its signing keys loaded: the
 * instances serve it, and the operator's CLI uses the same one to end sessions (logout tokens signed
 * with the instances' keys, for the systems' back-channel logout).
 */
export async function brokerProvider(config: Config, parts: BrokerProviderParts): Promise<{ provider: Provider; signingKeys: SigningKeys }> {
  const { durable, store, accounts, pages, fail, log, metrics, journal, connectors, clock } = parts;
  const signingKeys = await loadSigningKeys(durable.db, durable.dialect, parts.lifecycle);
  const provider = createProvider({
    config,
    store,
    accounts,
    jwks: { keys: signingKeys.keys },
    fail,
    log,
    logout: logoutPages({ config, pages, store, journal }),
    metrics,
    silentRelease: silentRelease({ config, accounts, connectors, clock, journal }),
    backchannelRetriesMs: parts.backchannelRetriesMs,
  });
  replaceProviderKeys(provider, signingKeys);
  return { provider, signingKeys };
}
