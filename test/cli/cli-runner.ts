import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/run.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/model.ts';
import { dropIsolatedDatabase, isolatedDatabaseUrl } from '../helpers/harness.ts';

const ROOT = join(import.meta.dirname, '..', '..');

export const CPR_KEY = 'cli-test-cpr-key-0123456789-0123456789';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliSetup {
  env: Record<string, string | undefined>;
  /** The configuration exactly as the CLI reads it. */
  config: Config;
  dataDir: string;
  /** Runs the CLI in this process, as `src/cli/main.ts` does, with this setup's configuration. */
  run(args: string[], options?: { stdin?: string; env?: Record<string, string> }): Promise<CliResult>;
  /** Starts the CLI as a real process through the npx launcher `bin/portvagt.js`, as an operator does. */
  spawn(args: string[]): Promise<CliResult>;
  close(): Promise<void>;
}

/** A temporary configuration (plus `extra` top-level keys) and data directory, and on PostgreSQL a database of its own, for the real CLI. */
export async function setupCli(extra: Record<string, unknown> = {}): Promise<CliSetup> {
  const dir = mkdtempSync(join(tmpdir(), 'portvagt-cli-'));
  const configFile = join(dir, 'portvagt.yaml');
  writeFileSync(
    configFile,
    stringify({
      secrets: { cookie_keys: ['cli-test-cookie-key-0123456789-0123456789'], cpr_hmac_key: CPR_KEY },
      tenants: [
        { id: 'acme', name: 'Acme A/S' },
        { id: 'beta', name: 'Beta ApS' },
      ],
      clients: [
        { client_id: 'ims', client_secret: 'ims-secret-0123456789', display_name: 'IMS', redirect_uris: ['https://ims.example/cb'], tenants: ['acme', 'beta'], login_methods: ['mitid', 'nemid'] },
      ],
      upstreams: [
        { id: 'mitid', display_name: 'MitID', dialect: 'mitid', mock: 'mitid', client_id: 'portvagt', client_secret: 'mock-secret' },
        { id: 'nemid', display_name: 'NemID', dialect: 'nemid', mock: 'nemid', client_id: 'portvagt', client_secret: 'mock-secret' },
      ],
      ...extra,
    }),
  );
  const dataDir = join(dir, 'data');
  const databaseUrl = await isolatedDatabaseUrl();
  const env = { ...process.env, PORTVAGT_CONFIG: configFile, PORTVAGT_DATA_DIR: dataDir, DATABASE_URL: databaseUrl };
  if (!databaseUrl) delete env.DATABASE_URL;
  return {
    env,
    config: loadConfig(env),
    dataDir,
    run: (args, options = {}) => runInProcess(args, { ...env, ...options.env }, options.stdin),
    spawn: (args) => runProcess(['bin/portvagt.js', ...args], env),
    close: () => dropIsolatedDatabase(databaseUrl),
  };
}

/** A stream that keeps what is written to it as text. */
function collector(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

async function runInProcess(args: string[], env: Record<string, string | undefined>, stdin = ''): Promise<CliResult> {
  const stdout = collector();
  const stderr = collector();
  const code = await runCli(args, { stdout: stdout.stream, stderr: stderr.stream, stdin: Readable.from([stdin]), env });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

function runProcess(args: string[], env: Record<string, string | undefined>, stdin = ''): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}
