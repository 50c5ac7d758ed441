import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Router } from 'express';
import { AccountRepository } from './accounts/accounts.ts';
import { AuditLog } from './accounts/audit.ts';
import { InvitationRepository } from './accounts/invitations.ts';
import { buildApp } from './app.ts';
import type { Config } from './config/schema.ts';
import { errorPages } from './http/error-page.ts';
import { pageRenderer } from './http/page.ts';
import { pageTokens } from './http/page-token.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Logger } from './logger.ts';
import { Metrics } from './ops/metrics.ts';
import { Preflight } from './ops/preflight.ts';
import { discoveryReachable, readinessCheck, type Readiness } from './ops/readiness.ts';
import { logoutRenderer } from './provider/logout-page.ts';
import { createProvider } from './provider/provider.ts';
import { loadSigningKeys } from './provider/signing-keys.ts';
import { migrate, openDurableStore, type DurableStore } from './store/durable/database.ts';
import { openEphemeralStore, type EphemeralStore } from './store/ephemeral/index.ts';
import { createConnectors, upstreamIssuer } from './upstream/registry.ts';

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
  readiness: () => Promise<Readiness>;
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
  /** The flows' clock (step deadlines); tests move it instead of sleeping. */
  clock?: Clock;
}

/** Opens the stores, runs migrations, loads keys and listens: everything one instance needs. */
export async function startPortvagt(config: Config, options: StartOptions): Promise<Portvagt> {
  const { log } = options;
  const durable = openDurableStore({ databaseUrl: config.storage.database_url, dataDir: config.storage.data_dir });
  await migrate(durable);
  const store = openEphemeralStore({ redisUrl: config.storage.redis_url, redisPrefix: config.storage.redis_prefix, dataDir: config.storage.data_dir });
  const accounts = new AccountRepository(durable.db);
  const invitations = new InvitationRepository(durable.db, { validityDays: config.invitations.validity_days, maxAttempts: config.invitations.max_attempts });
  const audit = new AuditLog(durable.db);
  const pages = pageRenderer();
  const tokens = pageTokens(config.secrets.cookie_keys);
  const metrics = new Metrics(config);
  const errors = errorPages({ log, audit, pages, metrics, store, tokens });
  const fail = errors.fail;
  const probeTimeout = Math.min(config.timeouts.upstream_http_ms, PROBE_TIMEOUT_MS);
  const preflight = new Preflight({
    durable,
    probe: (id) => discoveryReachable(upstreamIssuer(config, config.upstreams.find((u) => u.id === id)!), probeTimeout),
  });
  const connectors = createConnectors(config, log, (call) => metrics.upstreamCall(call), (id, send) => preflight.tracked(id, send));
  const jwks = { keys: await loadSigningKeys(durable.db, durable.dialect) };
  let draining = false;
  const readiness = readinessCheck({ config, durable, store, metrics, preflight, draining: () => draining });
  const provider = createProvider({ config, store, accounts, jwks, fail, renderLogout: logoutRenderer(pages) });
  const app = buildApp({
    config,
    provider,
    store,
    accounts,
    invitations,
    audit,
    connectors,
    pages,
    tokens,
    fail,
    errorRoutes: errors.routes,
    clock: options.clock ?? systemClock,
    log,
    metrics,
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
    await store.close();
    await durable.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    durable,
    store,
    accounts,
    invitations,
    audit,
    metrics,
    readiness,
    async close({ graceMs = 0 } = {}) {
      draining = true;
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
