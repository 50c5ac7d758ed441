import { sql } from 'kysely';
import type { Config } from '../config/model.ts';
import { StoreUnavailableError, UpstreamUnreachableError } from '../errors/boundary-errors.ts';
import type { DurableStore } from '../store/durable/database.ts';
import type { Metrics } from './metrics.ts';
import type { Preflight } from './preflight.ts';
import type { EphemeralStore } from '../store/ephemeral/ephemeral-store.ts';

/** How long a store check may take before it counts as failed (a store that answers at all answers in milliseconds). */
const STORE_CHECK_MS = 2000;
/** Pause between two checks of a store: an outage shows in /readyz within about this plus the check's limit. */
const STORE_INTERVAL_MS = 1000;
/** Pause between two checks of an upstream's discovery: one small GET, as a load balancer's probe would have made. */
const UPSTREAM_INTERVAL_MS = 2000;

export interface CheckResult {
  ok: boolean;
  /** Why it failed: an error code or name, never a message that could carry a URL or credentials. */
  error?: string;
}

export interface Readiness {
  ready: boolean;
  status: 'ready' | 'unavailable' | 'shutting_down';
  /** The names of the failing checks, e.g. `database`, `redis`, `upstream:nemid`. */
  failing: string[];
  checks: Record<string, CheckResult>;
}

export interface ReadinessDeps {
  config: Config;
  durable: DurableStore;
  store: EphemeralStore;
  metrics: Metrics;
  /** Told each upstream check's result, so users are not sent to an upstream found down. */
  preflight: Preflight;
  /** True once shutdown has begun: the load balancer should stop sending new users. */
  draining: () => boolean;
  /** Fetches a login method's discovery document afresh, within the time given (upstream/discovery.ts). */
  probe: (issuer: string, timeoutMs: number) => Promise<void>;
}

/** Readiness as the background checks last found it. */
export interface ReadinessMonitor {
  /** The state now, from the last results: answers at once whatever the stores and upstreams do. */
  readiness: () => Promise<Readiness>;
  /** Starts the checks; resolves when each has a first result (each within its time limit). */
  start(): Promise<void>;
  stop(): void;
}

function reason(error: unknown): string {
  // A typed boundary failure says which check failed; what beneath it reported says why.
  const e = (error instanceof StoreUnavailableError || error instanceof UpstreamUnreachableError ? error.cause : error) as { code?: unknown; name?: unknown } | null;
  if (e && typeof e.code === 'string') return e.code;
  if (e && typeof e.name === 'string' && e.name !== 'Error') return e.name;
  return 'failed';
}

async function within(ms: number, check: () => Promise<void>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })), ms);
  });
  try {
    await Promise.race([check(), timeout]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: reason(error) };
  } finally {
    clearTimeout(timer);
  }
}

interface Check {
  name: string;
  limit: number;
  interval: number;
  run: () => Promise<void>;
}

/**
 * Whether this instance can serve logins: the database and the ephemeral store answer, each checked
 * every second in the background with a 2 s limit, so that /readyz answers from the last results at
 * once (a probe with a short timeout never sees it hang on a store or an upstream that does not
 * answer). Every upstream's discovery is checked too, every 2 s within `timeouts.upstream_http_ms`,
 * and reported, but fails readiness only with `ops.readiness_requires_upstreams`: one upstream down
 * must not take out an instance whose other login methods work.
 */
export function readinessMonitor(deps: ReadinessDeps): ReadinessMonitor {
  const { config, durable, store } = deps;
  const upstreamLimit = config.timeouts.upstream_http_ms;
  const storeName = config.storage.redis_url && config.storage.redis_url !== 'memory' ? 'redis' : 'ephemeral_store';
  const checks: Check[] = [
    { name: 'database', limit: STORE_CHECK_MS, interval: STORE_INTERVAL_MS, run: async () => void (await sql`select 1`.execute(durable.db)) },
    { name: storeName, limit: STORE_CHECK_MS, interval: STORE_INTERVAL_MS, run: () => store.ping() },
    ...[...config.methods.values()].map((m): Check => ({ name: `upstream:${m.id}`, limit: upstreamLimit, interval: UPSTREAM_INTERVAL_MS, run: () => deps.probe(m.issuer, upstreamLimit) })),
  ];
  const results = new Map<string, CheckResult>(checks.map((c) => [c.name, { ok: false, error: 'NOT_CHECKED_YET' }]));
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  function record(name: string, result: CheckResult): void {
    results.set(name, result);
    if (name === 'database') deps.preflight.reportDatabase(result.ok);
    if (!name.startsWith('upstream:')) return;
    deps.metrics.upstreamReachable(name.slice('upstream:'.length), result.ok);
    deps.preflight.report(name.slice('upstream:'.length), result.ok);
  }

  /** One check, then the next after its pause, for as long as the monitor runs. */
  async function round(check: Check): Promise<void> {
    record(check.name, await within(check.limit, check.run));
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      void round(check);
    }, check.interval);
    timer.unref();
    timers.add(timer);
  }

  return {
    async readiness() {
      const failing = [...results].filter(([name, r]) => !r.ok && (config.ops.readiness_requires_upstreams || !name.startsWith('upstream:'))).map(([name]) => name);
      const draining = deps.draining();
      const ready = failing.length === 0 && !draining;
      return { ready, status: draining ? 'shutting_down' : ready ? 'ready' : 'unavailable', failing, checks: Object.fromEntries(results) };
    },
    async start() {
      await Promise.all(checks.map(round));
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
