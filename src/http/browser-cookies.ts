import { randomBytes } from 'node:crypto';
import type { CookieOptions, Request, RequestHandler, Response } from 'express';
import { isLocale } from '../i18n/i18n.ts';

export const BROWSER_COOKIE = 'portvagt.browser';
export const LANGUAGE_COOKIE = 'portvagt.lang';

/** 18 random bytes (144 bits) in base64url. */
const BROWSER_ID = /^[\w-]{24}$/;
/**
 * Nothing bound to the id outlives an hour (flows, error records), so a longer
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
  /** Whether the browser brought an id of Portvagt's: one that did not can have no flow or error page yet. */
  readonly returning: boolean;
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

/** The two cookies' values in a Cookie header, in one pass; the first of a name, as browsers send the most specific first. */
function ownCookies(header: string | undefined): { browser?: string; lang?: string } {
  const found: { browser?: string; lang?: string } = {};
  if (!header) return found;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    if (name === BROWSER_COOKIE) found.browser ??= pair.slice(eq + 1).trim();
    else if (name === LANGUAGE_COOKIE) found.lang ??= pair.slice(eq + 1).trim();
  }
  return found;
}

/** One page request's browser: its methods live on the prototype, so a request costs one small object. */
class RequestBrowser implements BrowserBinding {
  readonly #res: Response;
  readonly #options: { browser: CookieOptions; language: CookieOptions };
  #id: string | undefined;
  #sent = false;
  #locale: string | undefined;
  readonly returning: boolean;

  constructor(res: Response, options: { browser: CookieOptions; language: CookieOptions }, cookies: { browser?: string; lang?: string }) {
    this.#res = res;
    this.#options = options;
    this.#id = cookies.browser !== undefined && BROWSER_ID.test(cookies.browser) ? cookies.browser : undefined;
    this.returning = this.#id !== undefined;
    this.#locale = isLocale(cookies.lang) ? cookies.lang : undefined;
  }

  id(): string {
    this.#id ??= randomBytes(18).toString('base64url');
    if (!this.#sent && !this.#res.headersSent) {
      this.#res.cookie(BROWSER_COOKIE, this.#id, this.#options.browser);
      this.#sent = true;
    }
    return this.#id;
  }

  get locale(): string | undefined {
    return this.#locale;
  }

  setLocale(chosen: string): void {
    this.#locale = chosen;
    this.#res.cookie(LANGUAGE_COOKIE, chosen, this.#options.language);
  }
}

/**
 * The browser binding and the language preference as two plain cookies: no store operation, no
 * session record, any instance reads them. The browser id ties flows, upstream states, CSRF
 * tokens and error pages to the browser. It is not signed: it is unguessable, and a signature would
 * only refuse made-up values, while an attacker able to plant a cookie can as well plant a real,
 * signed id of their own browser. What an id unlocks is checked where it is used (the flow's browser,
 * the CSRF token's HMAC), so a planted id gains nothing a signature would have stopped.
 */
export function browserCookies(secure: boolean): RequestHandler {
  const browser: CookieOptions = { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: BROWSER_MAX_AGE_MS };
  const options = { browser, language: { ...browser, maxAge: LANGUAGE_MAX_AGE_MS } };
  return (req, res, next) => {
    req.browser = new RequestBrowser(res, options, ownCookies(req.headers.cookie));
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
