import type { BaselineSettings } from './baseline-server.ts';
import type { PortvagtSettings } from './portvagt-server.ts';
import { startProcess, type BenchProcess } from './processes.ts';

/**
 * How `npm start` and the container run Portvagt's Node (package.json's start script, the
 * Dockerfile): a young generation of at most 8 MB per semi-space instead of V8's default, which grows
 * to 32 MB on a machine with much memory and keeps it, and two malloc arenas instead of one per
 * thread. Together about 20 MB less idle RSS for about 1 % more CPU per login (paired run). The
 * benchmark runs Portvagt the same way; test/unit/production-runtime.test.ts keeps the three alike.
 */
export const PRODUCTION_RUNTIME = { nodeFlags: ['--max-semi-space-size=8'], env: { MALLOC_ARENA_MAX: '2' } } as const;

/** Portvagt in production mode from `entry` (this checkout's or a control's bench/portvagt-server.ts), run as `npm start` runs it. */
export function startPortvagt(entry: string, settings: PortvagtSettings, extraNodeFlags: string[] = []): Promise<BenchProcess> {
  return startProcess(entry, {
    env: { ...PRODUCTION_RUNTIME.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', BENCH_PORTVAGT: JSON.stringify(settings) },
    nodeFlags: [...PRODUCTION_RUNTIME.nodeFlags, ...extraNodeFlags],
  });
}

/** The bare oidc-provider the ratio is formed against, in production mode like Portvagt. */
export function startBaseline(settings: BaselineSettings): Promise<BenchProcess> {
  return startProcess('./baseline-server.ts', { env: { NODE_ENV: 'production', BENCH_BASELINE: JSON.stringify(settings) } });
}
