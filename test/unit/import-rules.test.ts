import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The folder rules of docs/architecture.md ("The folders"), checked on every import (static, dynamic
 * and re-export) of the files concerned.
 */

const ROOT = resolve(import.meta.dirname, '..', '..');

function filesUnder(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(folder, f));
}

/** The repository paths a file imports by relative specifier (packages and node: builtins are left out). */
function relativeImports(file: string): string[] {
  const source = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specifiers.map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)));
}

/** Every import of a file under `from` that lands in one of `forbidden` (folders relative to the root). */
function violations(from: string, forbidden: (target: string) => boolean): string[] {
  return filesUnder(from).flatMap((file) => relativeImports(file).filter(forbidden).map((target) => `${file} imports ${target}`));
}

const inside = (folder: string) => (target: string) => target === folder || target.startsWith(`${folder}/`);

describe('folder rules', () => {
  it('finds the imports it checks (the scan itself works)', () => {
    expect(relativeImports('src/errors/classify.ts')).toContain('src/errors/broker-error.ts');
    expect(violations('bench', inside('support')).length).toBeGreaterThan(0);
  });

  it('errors/ is a leaf: it imports nothing outside errors/', () => {
    expect(violations('src/errors', (target) => !inside('src/errors')(target))).toEqual([]);
  });

  it('upstream/ does not import ops/ (metrics reach it as a callback from the composition root)', () => {
    expect(violations('src/upstream', inside('src/ops'))).toEqual([]);
  });

  it('upstream/ does not import config/ (each connector owns its section; config/ composes it: config → upstream only)', () => {
    expect(violations('src/upstream', inside('src/config'))).toEqual([]);
  });

  it('bench/ does not import test/ (what both need lives in support/)', () => {
    expect(violations('bench', inside('test'))).toEqual([]);
  });

  it('src/ imports neither the tests, the benchmark nor their support code', () => {
    expect(violations('src', (target) => ['test', 'bench', 'support'].some((folder) => inside(folder)(target)))).toEqual([]);
  });
});
