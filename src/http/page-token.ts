import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKey } from '../crypto/derive-key.ts';

/**
 * The CSRF token of a flow's forms: an HMAC over the flow and the browser id (a cookie that outlives
 * a login, see browser-cookies.ts), under a key derived for page tokens only. A login in another tab
 * therefore leaves this tab's forms working, and a token from another flow or browser never fits.
 */
export interface PageTokens {
  csrf(browser: string, uid: string): string;
  checkCsrf(sent: unknown, browser: string, uid: string): boolean;
}

export function pageTokens(secrets: readonly string[]): PageTokens {
  const keys = secrets.map((secret) => deriveKey(secret, 'page-token'));
  const sign = (key: Buffer, browser: string, uid: string) => createHmac('sha256', key).update(`csrf|${browser}|${uid}`).digest('base64url');
  return {
    // The first key signs; every configured key verifies, so a key rotation keeps open forms working.
    csrf: (browser, uid) => sign(keys[0]!, browser, uid),
    checkCsrf(sent, browser, uid) {
      if (typeof sent !== 'string') return false;
      const given = Buffer.from(sent);
      return keys.some((key) => {
        const expected = Buffer.from(sign(key, browser, uid));
        return expected.length === given.length && timingSafeEqual(expected, given);
      });
    },
  };
}
