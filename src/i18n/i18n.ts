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

/** Every text of a catalogue under its dotted key (`ui.chooser.title`), so a lookup is one map read. */
function flatten(tree: Tree, prefix = '', into = new Map<string, string>()): Map<string, string> {
  for (const [name, node] of Object.entries(tree)) {
    if (typeof node === 'string') into.set(prefix + name, node);
    else flatten(node, `${prefix}${name}.`, into);
  }
  return into;
}

const texts: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map([...catalogues].map(([locale, tree]) => [locale, flatten(tree)]));

function lookup(locale: string, key: string): string | undefined {
  return texts.get(locale)?.get(key);
}

/** Translates a key, falling back to Danish; a missing key shows itself, which the completeness test forbids. */
export function translate(locale: string, key: string, vars: Record<string, string | number> = {}): string {
  return fillVars(lookup(locale, key) ?? lookup(DEFAULT_LOCALE, key) ?? key, vars);
}

/** `{name}` placeholders filled in; unknown ones stay visible. */
export function fillVars(text: string, vars: Record<string, string | number>): string {
  if (!text.includes('{')) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function hasKey(locale: string, key: string): boolean {
  return lookup(locale, key) !== undefined;
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

/** A configured text or address: one for every language, or one per language (the page's, else Danish, else any). */
export function inLocale(value: string | Readonly<Record<string, string>> | undefined, locale: string): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  return value[locale] ?? value[DEFAULT_LOCALE] ?? Object.values(value)[0];
}
