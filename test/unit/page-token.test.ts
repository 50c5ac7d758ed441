import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pageTokens } from '../../src/http/page-token.ts';

const OLD = 'old-cookie-key-0123456789-0123456789';
const NEW = 'new-cookie-key-0123456789-0123456789';

describe("flows' CSRF tokens", () => {
  const tokens = pageTokens([NEW, OLD]);

  it('fit exactly one flow in one browser', () => {
    const token = tokens.csrf('browser-a', 'flow-1');
    expect(tokens.checkCsrf(token, 'browser-a', 'flow-1')).toBe(true);
    expect(tokens.checkCsrf(token, 'browser-b', 'flow-1')).toBe(false);
    expect(tokens.checkCsrf(token, 'browser-a', 'flow-2')).toBe(false);
    expect(tokens.checkCsrf(undefined, 'browser-a', 'flow-1')).toBe(false);
    expect(tokens.checkCsrf(['x'], 'browser-a', 'flow-1')).toBe(false);
  });

  it('are signed with a key derived for page tokens, never the cookie key itself', () => {
    const token = tokens.csrf('browser-a', 'flow-1');
    expect(token).not.toBe(createHmac('sha256', NEW).update('csrf|browser-a|flow-1').digest('base64url'));
  });

  it('still verify under the previous key after a rotation', () => {
    expect(tokens.checkCsrf(pageTokens([OLD]).csrf('browser-a', 'flow-1'), 'browser-a', 'flow-1')).toBe(true);
    expect(pageTokens([NEW]).checkCsrf(pageTokens([OLD]).csrf('browser-a', 'flow-1'), 'browser-a', 'flow-1')).toBe(false);
  });
});
