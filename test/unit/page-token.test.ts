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

describe('upstream login states', () => {
  const tokens = pageTokens([NEW, OLD]);

  it('lead back to their flow in the browser they were made for, and nowhere else', () => {
    const state = tokens.upstreamState('browser-a', 'flow-1');
    expect(tokens.flowOfUpstreamState(state, 'browser-a')).toBe('flow-1');
    expect(tokens.flowOfUpstreamState(state, 'browser-b')).toBeUndefined();
    const [, random, mac] = state.split('.');
    expect(tokens.flowOfUpstreamState(`flow-2.${random}.${mac}`, 'browser-a')).toBeUndefined();
    expect(tokens.flowOfUpstreamState(`flow-1.${random}x.${mac}`, 'browser-a')).toBeUndefined();
    expect(tokens.flowOfUpstreamState(`${state}.extra`, 'browser-a')).toBeUndefined();
    expect(tokens.flowOfUpstreamState('flow-1', 'browser-a')).toBeUndefined();
  });

  it('differ for every upstream login of one flow', () => {
    expect(tokens.upstreamState('browser-a', 'flow-1')).not.toBe(tokens.upstreamState('browser-a', 'flow-1'));
  });

  it('are not CSRF tokens, and survive a key rotation', () => {
    const [, , mac] = tokens.upstreamState('browser-a', 'flow-1').split('.');
    expect(tokens.checkCsrf(mac, 'browser-a', 'flow-1')).toBe(false);
    expect(tokens.flowOfUpstreamState(pageTokens([OLD]).upstreamState('browser-a', 'flow-1'), 'browser-a')).toBe('flow-1');
  });
});
