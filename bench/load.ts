/**
 * Runs an operation from `concurrency` workers for a while and measures it: CPU from inside the server,
 * and beside it the mock upstream's and this driver's, which share the machine with the server.
 */
import type { BenchProcess } from './processes.ts';
import { countsPerOperation, type StoreCounts } from './store-counts.ts';

export interface LoadResult {
  concurrency: number;
  count: number;
  errors: number;
  firstError: string | undefined;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerOp: number;
  /** The mock upstream's CPU per operation, when one takes part. */
  upstreamCpuMsPerOp: number | undefined;
  driverCpuMsPerOp: number;
  rssMb: number;
  /** The server's store operations per operation, where it counts them. */
  storeOpsPerOp: StoreCounts | undefined;
}

/** What an operation answers when no work is left for it: its worker stops before the deadline. */
export const NO_MORE_WORK = Symbol('no more work');

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * `operation(worker)` runs back to back in each of `concurrency` workers until `durationMs` have passed
 * or it answers NO_MORE_WORK.
 */
export async function runLoad(
  server: BenchProcess,
  concurrency: number,
  durationMs: number,
  operation: (worker: number) => Promise<unknown>,
  upstream?: BenchProcess,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const before = await server.sample();
  const upstreamBefore = await upstream?.sample();
  const driverBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          if ((await operation(worker)) === NO_MORE_WORK) return;
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors++;
          firstError ??= (error as Error).message;
        }
      }
    }),
  );
  const elapsed = performance.now() - started;
  const driver = process.cpuUsage(driverBefore);
  const after = await server.sample();
  const upstreamAfter = await upstream?.sample();
  latencies.sort((a, b) => a - b);
  const count = latencies.length;
  const perOp = (micros: number) => round(micros / 1000 / Math.max(1, count), 2);
  return {
    concurrency,
    count,
    errors,
    firstError,
    perSecond: round(count / (elapsed / 1000)),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    cpuMsPerOp: perOp(after.cpuMicros - before.cpuMicros),
    upstreamCpuMsPerOp: upstreamBefore && upstreamAfter ? perOp(upstreamAfter.cpuMicros - upstreamBefore.cpuMicros) : undefined,
    driverCpuMsPerOp: perOp(driver.user + driver.system),
    rssMb: round(after.rssBytes / 2 ** 20),
    storeOpsPerOp: before.storeCounts && after.storeCounts ? countsPerOperation(before.storeCounts, after.storeCounts, count) : undefined,
  };
}
