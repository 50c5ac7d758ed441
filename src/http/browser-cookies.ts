import { randomBytes } from 'node:crypto';
import type { CookieOptions, Request, RequestHandler } from 'express';
import { isLocale } from '../i18n/i18n.ts';

export const BROWSER_COOKIE = 'portvagt.browser';
export const LANGUAGE_COOKIE = 'portvagt.lang';

/** 18 random bytes (144 bits) in base64url. */
const BROWSER_ID = /^[\w-]{24}$/;
/**
 * Nothing bound to the id outlives an hour (flows, pending upstream logins, error records), so a longer
 * life would only make the id a longer-lived mark of the browser. It is sent again with every page that
 * uses it, so a flow in progress never loses it half-way.
 */
const BROWSER_MAX_AGE_MS = 3600 * 1000;
/** A language preference is kept as users expect of one: until they change it. */
const LANGUAGE_MAX_AGE_MS = 365 * 24 * 3600 * 1000;

/** What a page request knows of its browser. Machine endpoints have none. */
export interface BrowserBinding {
  /** This browser's id, issued by this call when the browser brought none (or a malformed one). */
  id(): string;
  /** The language the user chose with the language switch. */
  readonly locale: string | undefined;
  setLocale(locale: string): void;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set on page requests only (see `browserCookies`). */
    browser?: BrowserBinding;
  }
}

/** One cookie's value from a Cookie header; the first of that name, as browsers send the most specific first. */
function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The browser binding and the language preference as two plain cookies: no store operation, no
 * session record, any instance reads them. The browser id ties flows, pending upstream logins, CSRF
 * tokens and error pages to the browser. It is not signed: it is unguessable, and a signature would
 * only refuse made-up values, while an attacker able to plant a cookie can as well plant a real,
 * signed id of their own browser. What an id unlocks is checked where it is used (the flow's browser,
 * the CSRF token's HMAC), so a planted id gains nothing a signature would have stopped.
 */
export function browserCookies(secure: boolean): RequestHandler {
  const browserOptions: CookieOptions = { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: BROWSER_MAX_AGE_MS };
  const languageOptions: CookieOptions = { ...browserOptions, maxAge: LANGUAGE_MAX_AGE_MS };
  return (req, res, next) => {
    const header = req.headers.cookie;
    const sent = cookieValue(header, BROWSER_COOKIE);
    let id = sent !== undefined && BROWSER_ID.test(sent) ? sent : undefined;
    let renewed = false;
    const lang = cookieValue(header, LANGUAGE_COOKIE);
    let locale = isLocale(lang) ? lang : undefined;
    req.browser = {
      id() {
        id ??= randomBytes(18).toString('base64url');
        if (!renewed && !res.headersSent) {
          res.cookie(BROWSER_COOKIE, id, browserOptions);
          renewed = true;
        }
        return id;
      },
      get locale() {
        return locale;
      },
      setLocale(chosen) {
        locale = chosen;
        res.cookie(LANGUAGE_COOKIE, chosen, languageOptions);
      },
    };
    next();
  };
}

/** The browser of a page request; only pages ask for it. */
export function browserOf(req: Request): BrowserBinding {
  if (!req.browser) throw new Error('browser asked for outside a page request');
  return req.browser;
}

export function browserId(req: Request): string {
  return browserOf(req).id();
}
