import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Router } from 'express';
import { AccountRepository } from './accounts/accounts.ts';
import { AuditLog } from './outcomes/audit-log.ts';
import { InvitationRepository } from './accounts/invitations.ts';
import { buildApp } from './app.ts';
import { brokerProvider, outcomeParts } from './broker-provider.ts';
import type { Config } from './config/model.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Logger } from './logger.ts';
import { InvitationMailer } from './mail/invitation-mail.ts';
import { mailTransport } from './mail/mail-transport.ts';
import type { Metrics } from './ops/metrics.ts';
import { Preflight } from './ops/preflight.ts';
import { readinessMonitor, type Readiness } from './ops/readiness.ts';
import { discoveryReachable } from './upstream/discovery.ts';
import { UpstreamHealth } from './ops/upstream-health.ts';
import { upstreamOutcomeRecorder } from './ops/upstream-outcome.ts';
import { replaceProviderKeys } from './provider/provider-keys.ts';
import { keyLifecycle, loadSigningKeys, type SigningKeys } from './provider/signing-keys.ts';
import { migrate, openDurableStore, type DurableStore } from './store/durable/database.ts';
import { openEphemeralStore, type EphemeralStore } from './store/ephemeral/index.ts';
import type { StoreObserver } from './store/store-observer.ts';
import { observedConnector } from './upstream/observed-connector.ts';
import { createConnectors } from './upstream/registry.ts';

/** A probe of an upstream found down recently holds the user at most this long. */
const PROBE_TIMEOUT_MS = 2000;

export interface Portvagt {
  server: Server;
  url: string;
  durable: DurableStore;
  store: EphemeralStore;
  accounts: AccountRepository;
  invitations: InvitationRepository;
  audit: AuditLog;
  metrics: Metrics;
  /** Upstreams' recent answers and operators' notices, as the chooser shows them. */
  health: UpstreamHealth;
  /** Invitation e-mails (SMTP, or the demo's outbox). */
  mailer: InvitationMailer;
  readiness: () => Promise<Readiness>;
  /** Reloads the signing keys now (the instance also does so every `signing_keys.refresh_seconds`). */
  refreshKeys(): Promise<void>;
  /**
   * Drains and stops: readiness answers 503 `shutting_down` for `graceMs` while the listener still
   * serves (the load balancer takes the instance out meanwhile), then the listener closes, requests in
   * flight finish, idle keep-alive connections close, and the stores are released.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

export interface StartOptions {
  log: Logger;
  /** Routers mounted beside the broker (demo RP, built-in mock upstreams). */
  extraRoutes?: (stores: { accounts: AccountRepository; invitations: InvitationRepository }) => Router[];
  /** The clock of the flows' step deadlines and of the signing keys' lifecycle; tests move it instead of sleeping. */
  clock?: Clock;
  /** Told of every store operation: the benchmark counts them per login. */
  observeStores?: StoreObserver;
  /** The delays of the back-channel logout retries, shorter in tests than the production default. */
  backchannelRetriesMs?: readonly number[];
}

/** Opens the stores, runs migrations, loads keys and listens: everything one instance needs. */
export async function startPortvagt(config: Config, options: StartOptions): Promise<Portvagt> {
  const { log } = options;
  const durable = openDurableStore({ databaseUrl: config.storage.database_url, dataDir: config.storage.data_dir, timeoutMs: config.storage.database_timeout_ms, observe: options.observeStores });
  await migrate(durable);
  const store = openEphemeralStore({ redisUrl: config.storage.redis_url, redisPrefix: config.storage.redis_prefix, redisTimeoutMs: config.storage.redis_timeout_ms, dataDir: config.storage.data_dir, observe: options.observeStores });
  const accounts = new AccountRepository(durable.db);
  const invitations = new InvitationRepository(durable.db, { validityDays: config.invitations.validity_days, maxAttempts: config.invitations.max_attempts });
  const audit = new AuditLog(durable.db);
  const { pages, tokens, metrics, journal, errors } = outcomeParts(config, { audit, store, log });
  const fail = errors.fail;
  const probeTimeout = Math.min(config.timeouts.upstream_http_ms, PROBE_TIMEOUT_MS);
  const preflight = new Preflight({
    durable,
    probe: (method) => discoveryReachable(config.methods.get(method)!.issuer, probeTimeout),
  });
  const mailer = new InvitationMailer(config, mailTransport(config));
  const health = new UpstreamHealth({ store, upstreams: [...config.methods.keys()], thresholds: config.degraded, log, metrics });
  const observe = upstreamOutcomeRecorder({ metrics, health, log });
  const connectors = new Map(
    [...createConnectors(config.methods.values(), config.timeouts.upstream_http_ms, log, (call) => metrics.upstreamCall(call), (id, send) => preflight.tracked(id, send))].map(([id, connector]) => [id, observedConnector(connector, observe)]),
  );
  const lifecycle = keyLifecycle(config, options.clock);
  const { provider, signingKeys } = await brokerProvider(config, { durable, store, accounts, pages, fail, log, metrics, journal, connectors, clock: options.clock ?? systemClock, lifecycle, backchannelRetriesMs: options.backchannelRetriesMs });
  let draining = false;
  const monitor = readinessMonitor({ config, durable, store, metrics, preflight, draining: () => draining, probe: discoveryReachable });
  const readiness = monitor.readiness;
  metrics.watchReadiness(readiness);
  // Key changes (a rotation published, a key activated, unpublished or removed) reach every instance within refresh_seconds.
  const keyIdsOf = ({ keys, published }: SigningKeys) => `${keys.map((k) => k.kid).join()}/${published.join()}`;
  let keyIds = keyIdsOf(signingKeys);
  const refreshKeys = async () => {
    const loaded = await loadSigningKeys(durable.db, durable.dialect, lifecycle);
    const ids = keyIdsOf(loaded);
    if (ids === keyIds) return;
    replaceProviderKeys(provider, loaded);
    keyIds = ids;
    log.info({ kids: loaded.keys.map((k) => k.kid), published: loaded.published }, 'signing keys changed');
  };
  const keyRefresh = setInterval(() => void refreshKeys().catch((error: unknown) => log.warn({ err: error }, 'signing keys could not be reloaded')), config.signing_keys.refresh_seconds * 1000);
  const auditPrune = pruneAuditRegularly(audit, config.audit.retention_days, log);
  keyRefresh.unref();
  const app = buildApp({
    config,
    provider,
    store,
    accounts,
    invitations,
    audit,
    journal,
    connectors,
    pages,
    tokens,
    fail,
    errorRoutes: errors.routes,
    clock: options.clock ?? systemClock,
    log,
    metrics,
    health,
    mailer,
    readiness,
    preflight,
    extraRoutes: options.extraRoutes?.({ accounts, invitations }) ?? [],
  });

  // Not app.listen: Express 5 hands a listen error (port taken) to the success callback.
  const server = createServer(app);
  // While draining, every answer ends its connection, so no client reuses one the listener is about to close.
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (draining) res.setHeader('connection', 'close');
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.server.port, config.server.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    clearInterval(keyRefresh);
    clearInterval(auditPrune);
    await store.close();
    await durable.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  health.start();
  // Listening already (/healthz answers), ready once every check has a first result.
  await monitor.start();
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    durable,
    store,
    accounts,
    invitations,
    audit,
    metrics,
    health,
    mailer,
    readiness,
    refreshKeys,
    async close({ graceMs = 0 } = {}) {
      draining = true;
      health.stop();
      monitor.stop();
      clearInterval(keyRefresh);
      clearInterval(auditPrune);
    clearInterval(auditPrune);
      if (graceMs > 0) await new Promise((resolve) => setTimeout(resolve, graceMs));
      // Finish in-flight requests, then release the stores.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A kept-alive connection would hold the close open after its last response: drop each as it goes idle.
      const idle = setInterval(() => server.closeIdleConnections(), 100);
      const force = setTimeout(() => server.closeAllConnections(), 5000);
      await closed;
      clearInterval(idle);
      clearTimeout(force);
      await store.close();
      await durable.close();
    },
  };
}

const AUDIT_PRUNE_INTERVAL_MS = 6 * 3_600_000;

/**
 * Audit records past `audit.retention_days` are deleted at start and every six hours, by every
 * instance (a delete by age, so instances doing it at once do no harm; docs/operating.md, "What the
 * audit log holds").
 */
function pruneAuditRegularly(audit: AuditLog, retentionDays: number, log: Logger): NodeJS.Timeout {
  const prune = () =>
    void audit.prune(Date.now() - retentionDays * 86_400_000).then(
      (deleted) => (deleted ? log.info({ event: 'audit.prune', deleted, retentionDays }, 'audit records past their retention deleted') : undefined),
      (error: unknown) => log.warn({ err: error }, 'audit records not pruned'),
    );
  prune();
  return setInterval(prune, AUDIT_PRUNE_INTERVAL_MS).unref();
}
