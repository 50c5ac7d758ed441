/** The parent side of bench/child.ts: starts a TypeScript entry in its own Node process and talks to it. */
import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, CpuSample } from './child.ts';

export interface BenchProcess {
  /** What the child reported when ready: its URL or issuer. */
  url: string;
  sample(): Promise<CpuSample>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Environment on top of this process's. */
  env: Record<string, string>;
  /** Extra Node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
}

/**
 * A server under load logs a warning per error page; only error and fatal lines (and anything that is
 * not a log line) reach the terminal.
 */
function forwardSevereLines(child: ChildProcess): void {
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const level = /^\{"level":(\d+)/.exec(line)?.[1];
    if (level === undefined || Number(level) >= 50) console.log(line);
  });
}

export async function startProcess(entry: string, options: StartOptions): Promise<BenchProcess> {
  const child: ChildProcess = fork(fileURLToPath(new URL(entry, import.meta.url)), [], {
    execArgv: options.nodeFlags ?? [],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  forwardSevereLines(child);
  const waiting = new Map<number, (message: ChildMessage) => void>();
  let nextId = 1;
  child.on('message', (message: ChildMessage) => {
    if ('id' in message) waiting.get(message.id)?.(message);
  });
  const ask = (type: 'cpu' | 'stop') =>
    new Promise<ChildMessage>((resolve) => {
      const id = nextId++;
      waiting.set(id, (message) => {
        waiting.delete(id);
        resolve(message);
      });
      child.send({ id, type });
    });

  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code} before it was ready`)));
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') resolve(message.url);
    });
  });
  return {
    url,
    async sample() {
      const answer = await ask('cpu');
      if (answer.type !== 'cpu') throw new Error(`unexpected answer ${answer.type}`);
      return answer.sample;
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await ask('stop');
      await exited;
    },
  };
}
