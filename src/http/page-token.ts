import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { deriveKey, type KeyPurpose } from '../crypto/derive-key.ts';

/**
 * The tokens a flow hands to the browser, each an HMAC over the flow and the browser id (a cookie that
 * outlives a login, see browser-cookies.ts) under a key derived for its purpose only:
 * - the CSRF token of a flow's forms: a login in another tab leaves this tab's forms working, and a
 *   token from another flow or browser never fits;
 * - the `state` of an upstream login, `<uid>.<random>.<mac>`: the callback finds its flow by the uid
 *   without a second record, and a state forged, altered or sent from another browser is refused
 *   before any store is read. The random part makes each upstream login's state its own; the flow
 *   keeps the whole state, so only the latest one it sent finishes it.
 */
export interface PageTokens {
  csrf(browser: string, uid: string): string;
  checkCsrf(sent: unknown, browser: string, uid: string): boolean;
  upstreamState(browser: string, uid: string): string;
  /** The uid of the flow this browser was given `state` for; undefined for any other state. */
  flowOfUpstreamState(state: string, browser: string): string | undefined;
}

type Signer = { sign: (message: string) => string; verify: (sent: string, message: string) => boolean };

/** The first key signs; every configured key verifies, so a key rotation keeps open forms and logins working. */
function signer(secrets: readonly string[], purpose: KeyPurpose): Signer {
  const keys = secrets.map((secret) => deriveKey(secret, purpose));
  const mac = (key: Buffer, message: string) => createHmac('sha256', key).update(message).digest('base64url');
  return {
    sign: (message) => mac(keys[0]!, message),
    verify(sent, message) {
      const given = Buffer.from(sent);
      return keys.some((key) => {
        const expected = Buffer.from(mac(key, message));
        return expected.length === given.length && timingSafeEqual(expected, given);
      });
    },
  };
}

export function pageTokens(secrets: readonly string[]): PageTokens {
  const forms = signer(secrets, 'page-token');
  const states = signer(secrets, 'upstream-state');
  return {
    csrf: (browser, uid) => forms.sign(`csrf|${browser}|${uid}`),
    checkCsrf: (sent, browser, uid) => typeof sent === 'string' && forms.verify(sent, `csrf|${browser}|${uid}`),
    upstreamState(browser, uid) {
      const bound = `${uid}.${randomBytes(16).toString('base64url')}`;
      return `${bound}.${states.sign(`${bound}|${browser}`)}`;
    },
    flowOfUpstreamState(state, browser) {
      const parts = state.split('.');
      if (parts.length !== 3 || !parts[0]) return undefined;
      return states.verify(parts[2]!, `${parts[0]}.${parts[1]}|${browser}`) ? parts[0] : undefined;
    },
  };
}
