import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Tree = { [key: string]: string | Tree };

const LOCALES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'locales');
export const DEFAULT_LOCALE = 'da';

/** Every `<lang>.json` in the locales folder is a language: adding one is adding one file. */
const catalogues: ReadonlyMap<string, Tree> = new Map(
  readdirSync(LOCALES_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => [basename(file, '.json'), JSON.parse(readFileSync(join(LOCALES_DIR, file), 'utf8')) as Tree]),
);

export const LOCALES: readonly string[] = [DEFAULT_LOCALE, ...[...catalogues.keys()].filter((l) => l !== DEFAULT_LOCALE).sort()];

export function isLocale(value: unknown): value is string {
  return typeof value === 'string' && catalogues.has(value);
}

function lookup(tree: Tree | undefined, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** Translates a key, falling back to Danish; a missing key shows itself, which the completeness test forbids. */
export function translate(locale: string, key: string, vars: Record<string, string | number> = {}): string {
  return fillVars(lookup(catalogues.get(locale), key) ?? lookup(catalogues.get(DEFAULT_LOCALE), key) ?? key, vars);
}

/** `{name}` placeholders filled in; unknown ones stay visible. */
export function fillVars(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function hasKey(locale: string, key: string): boolean {
  return lookup(catalogues.get(locale), key) !== undefined;
}

/** The first supported language of a space-separated `ui_locales` or an Accept-Language header. */
export function pickLocale(...candidates: (string | undefined)[]): string | undefined {
  for (const candidate of candidates) {
    if (!candidate) continue;
    for (const part of candidate.split(/[\s,]+/)) {
      const tag = part.split(';')[0]?.trim().toLowerCase().split('-')[0];
      if (tag && isLocale(tag)) return tag;
    }
  }
  return undefined;
}
