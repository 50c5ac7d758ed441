import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors/catalogue.ts';
import { RP_REDIRECT, rpAuthorizeUrl, useHarness } from '../helpers/harness.ts';
import { rawPage, type RawAnswer } from './helpers/attack.ts';

const h = useHarness();

/** Whatever was sent: no 5xx, and either a redirect into the flow or to the RP, or a catalogue code page (after its POST/redirect/GET). */
function expectHandled(answer: RawAnswer | undefined, sent: string): void {
  expect(answer, sent).toBeDefined();
  const { status, headers, body } = answer!;
  expect(status, sent).toBeLessThan(500);
  if (status >= 300 && status < 400) {
    const location = new URL(headers.location ?? '', h.base);
    const intoFlow = location.origin === new URL(h.base).origin && location.pathname.startsWith('/interaction/');
    expect(intoFlow || location.href.startsWith(RP_REDIRECT), `${sent} → ${location.href}`).toBe(true);
    return;
  }
  expect(headers['content-type'], sent).toMatch(/^text\/html/);
  const code = Number(/<main[^>]*data-error-code="(\d+)"/.exec(body)?.[1]);
  expect(ERROR_CODES, `${sent} → ${status}`).toContain(code);
  expect(body, sent).not.toMatch(/<script/i);
}

const AUTHORIZE_PARAMS = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'tenant', 'action', 'login_method', 'ui_locales', 'prompt', 'max_age', 'claims', 'request', 'response_mode'];
const CALLBACK_PARAMS = ['state', 'code', 'iss', 'error', 'error_description', 'error_uri', 'hid_error', 'hid_failure', 'session_state'];

/** Values from harmless to nasty: any unicode, markup, URLs, numbers, empty. */
const value = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', 'test-rp', 'https://rp.example/cb', 'code', 'openid', 'S256', 'acme', 'beta', 'link', 'first-login', 'mitid', '<script>', '../..', '%00', 'null', '[]'),
);

/** A query string as raw bytes of URL syntax, including broken percent-escapes and brackets. */
const rawQuery = fc.string({ unit: fc.constantFrom(...'abcz019%&=[]._~+-ACFE'.split('')), maxLength: 120 });

/** Some parameters of a valid request replaced, dropped, repeated or joined by strangers. */
function mutated(names: string[], base: Record<string, string>) {
  return fc
    .tuple(fc.dictionary(fc.constantFrom(...names), fc.option(value, { nil: undefined })), fc.dictionary(fc.string({ maxLength: 12 }), value, { maxKeys: 3 }), fc.boolean())
    .map(([changes, extra, repeat]) => {
      const query = new URLSearchParams(base);
      for (const [key, v] of Object.entries(changes)) {
        if (v === undefined) query.delete(key);
        else if (repeat) query.append(key, v);
        else query.set(key, v);
      }
      for (const [key, v] of Object.entries(extra)) query.append(key, v);
      return query.toString();
    });
}

describe('no input to the authorize endpoint or the callbacks breaks Portvagt', () => {
  it('authorize: every answer is a redirect into the flow or to the RP, or a catalogue code page', async () => {
    const valid = Object.fromEntries(new URL((await rpAuthorizeUrl(h)).url).searchParams);
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated(AUTHORIZE_PARAMS, valid), rawQuery), async (query) => {
        const path = `/auth?${query}`;
        expectHandled(await rawPage(h.base, path), path);
      }),
      { numRuns: 200 },
    );
  });

  it('callbacks: every answer is a catalogue code page', async () => {
    const upstream = fc.oneof(fc.constantFrom('mitid', 'mitid-erhverv', 'nemid', 'nordigo-2fa'), fc.string({ minLength: 1, maxLength: 20 }).map(encodeURIComponent));
    const base = { state: 'some-state', code: 'some-code', iss: 'https://issuer.example' };
    await fc.assert(
      fc.asyncProperty(upstream, fc.oneof(mutated(CALLBACK_PARAMS, base), rawQuery), async (name, query) => {
        const path = `/callback/${name}?${query}`;
        expectHandled(await rawPage(h.base, path), path);
      }),
      { numRuns: 200 },
    );
  });
});
