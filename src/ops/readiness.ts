import { sql } from 'kysely';
import type { Config } from '../config/schema.ts';
import { StoreUnavailableError, UpstreamUnreachableError } from '../errors/boundary-errors.ts';
import type { DurableStore } from '../store/durable/database.ts';
import type { Metrics } from './metrics.ts';
import type { Preflight } from './preflight.ts';
import type { EphemeralStore } from '../store/ephemeral/ephemeral-store.ts';
import { upstreamIssuer } from '../upstream/registry.ts';
import { upstreamFetch } from '../upstream/upstream-fetch.ts';

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

/**
 * Fetches an upstream's discovery document afresh (connectors cache theirs, which says nothing about
 * now), through the connectors' own HTTP client: the same stack, agents and limits as a login's calls.
 */
export async function discoveryReachable(issuer: string, timeoutMs: number): Promise<void> {
  const response = await upstreamFetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { method: 'GET', headers: { accept: 'application/json' }, body: undefined, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw Object.assign(new Error('discovery failed'), { code: `HTTP_${response.status}` });
}

/**
 * Whether this instance can serve logins: the database and the ephemeral store answer within
 * `timeouts.upstream_http_ms`. Every upstream's discovery is checked and reported too, but fails
 * readiness only with `ops.readiness_requires_upstreams`: one upstream down must not take out an
 * instance whose other login methods work. All checks run in parallel.
 */
export function readinessCheck(deps: ReadinessDeps): () => Promise<Readiness> {
  const { config, durable, store } = deps;
  const limit = config.timeouts.upstream_http_ms;
  const storeName = config.storage.redis_url && config.storage.redis_url !== 'memory' ? 'redis' : 'ephemeral_store';
  const checks: [string, () => Promise<void>][] = [
    ['database', async () => void (await sql`select 1`.execute(durable.db))],
    [storeName, () => store.ping()],
    ...config.upstreams.map((u): [string, () => Promise<void>] => [`upstream:${u.id}`, () => discoveryReachable(upstreamIssuer(config, u), limit)]),
  ];
  return async () => {
    const results = await Promise.all(checks.map(async ([name, check]) => [name, await within(limit, check)] as const));
    for (const [name, result] of results) {
      if (name === 'database') deps.preflight.reportDatabase(result.ok);
      if (!name.startsWith('upstream:')) continue;
      deps.metrics.upstreamReachable(name.slice('upstream:'.length), result.ok);
      deps.preflight.report(name.slice('upstream:'.length), result.ok);
    }
    const failing = results.filter(([name, r]) => !r.ok && (config.ops.readiness_requires_upstreams || !name.startsWith('upstream:'))).map(([name]) => name);
    const draining = deps.draining();
    const ready = failing.length === 0 && !draining;
    return { ready, status: draining ? 'shutting_down' : ready ? 'ready' : 'unavailable', failing, checks: Object.fromEntries(results) };
  };
}
