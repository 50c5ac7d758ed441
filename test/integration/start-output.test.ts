import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/harness.ts';

/** A Node.js oidc-provider calls unsupported (an odd release has no LTS name): it warns while it is imported. */
const UNSUPPORTED_RUNTIME = 'data:text/javascript,Object.defineProperty(process,"release",{value:{...process.release,lts:undefined}})';

/** Starts `bin/start.js` with the demo's configuration minus the demo, until it listens; its stdout and stderr lines. */
async function startOutput(nodeOptions: string[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'portvagt-start-'));
  writeFileSync(join(dir, 'portvagt.yaml'), readFileSync('config/demo.yaml', 'utf8').replace('demo:\n  enabled: true', 'demo:\n  enabled: false').replace('server:\n', 'server:\n  shutdown_grace_seconds: 0\n'));
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeOptions, 'bin/start.js'], {
    env: { ...process.env, PORTVAGT_CONFIG: join(dir, 'portvagt.yaml'), PORTVAGT_DATA_DIR: dir, PORT: String(port), PORTVAGT_BASE_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 30_000;
  while (!out.includes('Portvagt is listening') && Date.now() < deadline && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 50));
  child.kill('SIGTERM');
  await exited;
  expect(out).toContain('Portvagt is listening');
  return out.split('\n').filter((line) => line.trim() !== '');
}

const notJson = (line: string) => {
  try {
    return typeof JSON.parse(line) !== 'object';
  } catch {
    return true;
  }
};

describe('what a starting broker writes is JSON, line by line, for the log collector', () => {
  it('writes no plain-text line from start to shutdown', { timeout: 60_000 }, async () => {
    expect((await startOutput([])).filter(notJson)).toEqual([]);
  });

  it('writes oidc-provider\'s own warnings as JSON lines too, even one printed while it is imported', { timeout: 60_000 }, async () => {
    const lines = await startOutput(['--import', UNSUPPORTED_RUNTIME]);
    expect(lines.filter(notJson)).toEqual([]);
    const warning = lines.map((line) => JSON.parse(line) as { level: number; source?: string; msg: string }).find((l) => l.source === 'oidc-provider');
    expect(warning).toMatchObject({ level: 40, msg: expect.stringContaining('Unsupported runtime') });
  });
});
