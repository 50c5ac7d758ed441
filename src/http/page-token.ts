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
 *   keeps the whole state, so only the latest one it sent finishes it;
 * - the `state` of the account page's own login, the same way around what the page continues with.
 */
export interface PageTokens {
  csrf(browser: string, uid: string): string;
  checkCsrf(sent: unknown, browser: string, uid: string): boolean;
  upstreamState(browser: string, uid: string): string;
  /** The uid of the flow this browser was given `state` for; undefined for any other state. */
  flowOfUpstreamState(state: string, browser: string): string | undefined;
  /** `payload` (no dots) bound to this browser, as the account page's login `state`. */
  accountState(browser: string, payload: string): string;
  accountStatePayload(state: string, browser: string): string | undefined;
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

/** A value bound to a browser: `<bound>.<random>.<mac>`, and the bound part back for that browser only. */
function boundStates(states: Signer) {
  return {
    make(browser: string, bound: string): string {
      const value = `${bound}.${randomBytes(16).toString('base64url')}`;
      return `${value}.${states.sign(`${value}|${browser}`)}`;
    },
    read(state: string, browser: string): string | undefined {
      const parts = state.split('.');
      if (parts.length !== 3 || !parts[0]) return undefined;
      return states.verify(parts[2]!, `${parts[0]}.${parts[1]}|${browser}`) ? parts[0] : undefined;
    },
  };
}

export function pageTokens(secrets: readonly string[]): PageTokens {
  const forms = signer(secrets, 'page-token');
  const upstream = boundStates(signer(secrets, 'upstream-state'));
  const account = boundStates(signer(secrets, 'account-state'));
  return {
    csrf: (browser, uid) => forms.sign(`csrf|${browser}|${uid}`),
    checkCsrf: (sent, browser, uid) => typeof sent === 'string' && forms.verify(sent, `csrf|${browser}|${uid}`),
    upstreamState: upstream.make,
    flowOfUpstreamState: upstream.read,
    accountState: account.make,
    accountStatePayload: account.read,
  };
}
