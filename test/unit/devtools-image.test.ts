import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');

/** The scripts/ files a script imports, itself included, following relative imports inside scripts/. */
function scriptsNeeded(entry: string, seen = new Set<string>()): Set<string> {
  seen.add(entry);
  for (const [, specifier] of read(entry).matchAll(/from\s+'(\.\/[^']+)'/g)) {
    const target = normalize(join(dirname(entry), specifier!));
    if (target.startsWith('scripts/') && !seen.has(target)) scriptsNeeded(target, seen);
  }
  return seen;
}

describe('the devtools image (docker-compose.yml)', () => {
  it('copies every script its command imports', () => {
    const devtools = read('Dockerfile').split(/^FROM .* AS devtools$/m)[1]!.split(/^FROM /m)[0]!;
    const copied = new Set([...devtools.matchAll(/^COPY [^\n]*?((?: scripts\/\S+)+) \.\/scripts\/$/gm)].flatMap(([, files]) => files!.trim().split(/\s+/)));
    const command = /^CMD \["node", "(scripts\/[^"]+)"/m.exec(devtools)![1]!;
    expect([...scriptsNeeded(command)].filter((file) => !copied.has(file))).toEqual([]);
  });
});
