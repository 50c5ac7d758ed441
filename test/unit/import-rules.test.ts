import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The folder rules of docs/architecture.md ("The folders"), checked on every import (static, dynamic
 * and re-export) of every file: each folder of src/ may import only the folders its row names, some
 * of them for types only, so the folders form layers without a cycle.
 */

const ROOT = resolve(import.meta.dirname, '..', '..');

function filesUnder(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(folder, f));
}

interface Import {
  target: string;
  /** `import type …`: gone at run time. */
  typeOnly: boolean;
}

/** The repository paths a file imports by relative specifier (packages and node: builtins are left out). */
function relativeImports(file: string): Import[] {
  const source = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  const typeOnly = [...source.matchAll(/\bimport\s+type\s+[^;]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  // A specifier imported both ways is a run-time import.
  const count = (list: string[], specifier: string) => list.filter((s) => s === specifier).length;
  return specifiers.map((s) => ({ target: relative(ROOT, resolve(ROOT, dirname(file), s)), typeOnly: count(typeOnly, s) === count(specifiers, s) }));
}

/** Every import of a file under `from` that `forbidden` refuses. */
function violations(from: string, forbidden: (imported: Import) => boolean): string[] {
  return filesUnder(from).flatMap((file) =>
    relativeImports(file)
      .filter(forbidden)
      .map((i) => `${file} imports ${i.target}${i.typeOnly ? ' (type)' : ''}`),
  );
}

const inside = (folder: string) => (target: string) => target === folder || target.startsWith(`${folder}/`);

/** Shared vocabulary at the top of src/: anyone may import these. */
const LEAVES = ['src/actions.ts', 'src/assurance.ts', 'src/clock.ts', 'src/logger.ts', 'src/views.ts'];

/**
 * What each folder of src/ may import besides itself and the leaves, lowest layer first; `:types`
 * allows `import type` only. The composition root (app.ts, portvagt.ts, main.ts) may import anything.
 */
const MAY_IMPORT: Record<string, string[]> = {
  errors: [],
  crypto: [],
  i18n: [],
  store: ['errors'],
  http: ['crypto', 'errors', 'i18n'],
  upstream: ['crypto', 'errors'],
  config: ['crypto', 'store', 'upstream'],
  sessions: ['crypto', 'store'],
  ops: ['config', 'errors', 'store', 'upstream:types'],
  mail: ['config', 'http', 'i18n'],
  outcomes: ['config', 'errors', 'http', 'i18n', 'store', 'ops:types'],
  accounts: ['config', 'crypto', 'errors', 'mail', 'outcomes', 'store'],
  provider: ['accounts', 'config', 'crypto', 'errors', 'http', 'ops', 'outcomes', 'sessions', 'store'],
  flows: ['accounts', 'config', 'crypto', 'errors', 'http', 'ops:types', 'outcomes', 'sessions', 'store', 'upstream:types'],
  'account-page': ['accounts', 'config', 'crypto', 'errors', 'http', 'i18n', 'outcomes', 'provider', 'sessions', 'store:types'],
  api: ['accounts', 'config', 'mail', 'outcomes', 'provider', 'sessions', 'store'],
  dev: ['accounts', 'config', 'http', 'i18n', 'mail', 'upstream', 'portvagt.ts:types'],
  // The CLI makes the instances' provider as they do (broker-provider.ts), to end sessions.
  cli: ['accounts', 'api', 'config', 'errors', 'http', 'i18n', 'mail', 'ops', 'outcomes', 'provider', 'sessions', 'store', 'upstream', 'broker-provider.ts'],
};

function allowed(folder: string, imported: Import): boolean {
  if (inside(`src/${folder}`)(imported.target) || LEAVES.includes(imported.target)) return true;
  return MAY_IMPORT[folder]!.some((entry) => {
    const [name, types] = entry.split(':');
    return inside(`src/${name}`)(imported.target) && (types === undefined || imported.typeOnly);
  });
}

describe('folder rules', () => {
  it('finds the imports it checks (the scan itself works)', () => {
    expect(relativeImports('src/errors/classify.ts').map((i) => i.target)).toContain('src/errors/broker-error.ts');
    expect(relativeImports('src/flows/flow-state.ts')).toContainEqual({ target: 'src/upstream/connector.ts', typeOnly: true });
    expect(violations('bench', (i) => inside('support')(i.target)).length).toBeGreaterThan(0);
  });

  it('every folder of src/ has its row, and the rows name only folders that exist', () => {
    const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(Object.keys(MAY_IMPORT).sort()).toEqual(folders.sort());
    const named = Object.values(MAY_IMPORT).flatMap((row) => row.map((entry) => entry.split(':')[0]!));
    expect(named.filter((name) => !folders.includes(name) && !['portvagt.ts', 'broker-provider.ts'].includes(name))).toEqual([]);
  });

  for (const [folder, row] of Object.entries(MAY_IMPORT)) {
    it(`${folder}/ imports ${row.length ? row.join(', ') : 'nothing outside itself'} (and the leaves)`, () => {
      expect(violations(`src/${folder}`, (i) => inside('src')(i.target) && !allowed(folder, i))).toEqual([]);
    });
  }

  it('bench/ does not import test/ (what both need lives in support/)', () => {
    expect(violations('bench', (i) => inside('test')(i.target))).toEqual([]);
  });

  it('src/ imports neither the tests, the benchmark nor their support code', () => {
    expect(violations('src', (i) => ['test', 'bench', 'support'].some((folder) => inside(folder)(i.target)))).toEqual([]);
  });
});
