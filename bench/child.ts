/**
 * The child side of the benchmark's processes: tells the parent it is ready, answers `cpu` with this
 * process's own CPU time and RSS (so the driver's and the mock's CPU never count), and stops on `stop`.
 * It is an IPC channel, not an HTTP endpoint: nothing of it exists in a configured Portvagt.
 */
import type { StoreCounts } from './store-counts.ts';

export interface CpuSample {
  cpuMicros: number;
  rssBytes: number;
  /** Store operations so far, for a child that counts them (Portvagt). */
  storeCounts?: StoreCounts | undefined;
}

export type ParentMessage = { id: number; type: 'cpu' | 'stop' };
export type ChildMessage = { type: 'ready'; url: string } | { id: number; type: 'cpu'; sample: CpuSample } | { id: number; type: 'stopped' };

export function serveParent(url: string, stop: () => Promise<void>, storeCounts?: () => StoreCounts): void {
  const send = (message: ChildMessage) => process.send?.(message);
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      send({ id: message.id, type: 'cpu', sample: { cpuMicros: user + system, rssBytes: process.memoryUsage.rss(), storeCounts: storeCounts?.() } });
    } else if (message.type === 'stop') {
      void stop().finally(() => {
        send({ id: message.id, type: 'stopped' });
        process.disconnect?.();
        process.exit(0);
      });
    }
  });
  send({ type: 'ready', url });
}

/** The JSON settings a parent hands its child in one environment variable. */
export function settings<T>(name: string): T {
  const raw = process.env[name];
  if (!raw) throw new Error(`${name} is not set: this file is started by bench/run.ts`);
  return JSON.parse(raw) as T;
}
