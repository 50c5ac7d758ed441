import { execFile } from 'node:child_process';

/**
 * How this machine runs containers: Docker with its compose plugin, or rootful podman driven by
 * Debian's docker-compose through podman's Docker API socket (DOCKER_HOST, set by test/compose/run.sh).
 */
export interface Engine {
  name: string;
  /** The container CLI: run, exec, inspect, rm. */
  cli: string[];
  compose: string[];
  build: string[];
  /** A root filesystem without any writable path; podman alone adds tmpfs mounts unless told not to. */
  readOnly: string[];
}

const ENGINES: Record<string, Engine> = {
  docker: { name: 'docker', cli: ['docker'], compose: ['docker', 'compose'], build: ['docker', 'build'], readOnly: ['--read-only'] },
  // --format docker: the OCI image format has no HEALTHCHECK.
  podman: { name: 'podman', cli: ['podman'], compose: ['docker-compose'], build: ['podman', 'build', '--format', 'docker'], readOnly: ['--read-only', '--read-only-tmpfs=false'] },
};

export function engineFromEnvironment(env: NodeJS.ProcessEnv = process.env): Engine {
  const engine = ENGINES[env.COMPOSE_TEST_ENGINE ?? 'docker'];
  if (!engine) throw new Error(`COMPOSE_TEST_ENGINE must be one of ${Object.keys(ENGINES).join(', ')}`);
  return engine;
}

export interface RunOptions {
  timeoutMs: number;
  env?: Record<string, string>;
}

/** Runs a command to its end within `timeoutMs` (then kills it); rejects with its output on failure. */
export function run(command: string[], options: RunOptions): Promise<string> {
  const [file, ...args] = command;
  return new Promise((resolve, reject) => {
    execFile(file!, args, { env: { ...process.env, ...options.env }, timeout: options.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const why = error.killed ? `timed out after ${options.timeoutMs} ms` : `failed (${String(error.code)})`;
      reject(new Error(`${command.join(' ')} ${why}\n${stderr}${stdout}`.trim()));
    });
  });
}

/** Polls `probe` until it returns a value other than undefined, at most `timeoutMs`. */
export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${(last as Error).message})` : ''}`);
}
