import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CHECK = join(import.meta.dirname, '..', '..', 'bin', 'node-version.js');

/** Runs the version check as `npm start` and the CLI do, as if on Node.js `version`. */
function checkAs(version: string) {
  const script = `import { requireSupportedNode } from ${JSON.stringify(CHECK)}; requireSupportedNode(${JSON.stringify(version)}); console.log('went on');`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
}

describe('the Node.js version check before anything native loads', () => {
  it.each(['20.20.2', '22.12.0', '22.17.9', '18.0.0', '9.99.99'])('stops on Node.js %s with one line naming the version needed and how to get it', (version) => {
    const result = checkAs(version);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^portvagt: Node\\.js 22\\.18\\.0 or newer is needed \\(this is ${version.replace(/\./g, '\\.')}\\); install Node\\.js 24 LTS from https://nodejs\\.org/`))]);
  });

  it.each(['22.18.0', '22.19.1', '23.6.0', '24.22.3', '100.0.0'])('lets Node.js %s go on', (version) => {
    const result = checkAs(version);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('went on\n');
  });
});
