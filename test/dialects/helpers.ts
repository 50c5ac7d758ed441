import { readFileSync } from 'node:fs';
import { vi } from 'vitest';

/** One code per line from test/fixtures/dialects/, copied from the source documents. */
export function fixture(name: string): string[] {
  const text = readFileSync(new URL(`../fixtures/dialects/${name}`, import.meta.url), 'utf8');
  return text.split('\n').map((line) => line.trim()).filter(Boolean);
}

export function callback(query: Record<string, string>): URLSearchParams {
  return new URLSearchParams(query);
}

export function fakeLog() {
  return { warn: vi.fn<(obj: object, msg: string) => void>() };
}

/** The `base64UrlEnc-` wrapper as a bank OAuth service sends it in `error_description`. */
export function wrapped(body: unknown): string {
  return `base64UrlEnc-${Buffer.from(JSON.stringify(body), 'utf8').toString('base64url')}`;
}
