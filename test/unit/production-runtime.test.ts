import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRODUCTION_RUNTIME } from '../../bench/production-runtime.ts';

const root = new URL('../../', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');

describe('Node runs Portvagt alike in npm start, the container and the benchmark', () => {
  const { nodeFlags, env } = PRODUCTION_RUNTIME;

  it('npm start', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: { start: string } }).scripts.start;
    expect(start).toBe(`${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')} node ${nodeFlags.join(' ')} bin/start.js`);
  });

  it('the production image', () => {
    const runtime = read('Dockerfile').split(/^FROM .* AS runtime$/m)[1]!;
    for (const [k, v] of Object.entries(env)) expect(runtime).toMatch(new RegExp(`^ENV ${k}=${v}$`, 'm'));
    expect(runtime).toContain(`CMD ${JSON.stringify(['node', ...nodeFlags, 'bin/start.js']).replaceAll(',', ', ')}`);
  });
});
