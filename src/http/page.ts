import { createHmac, randomBytes } from 'node:crypto';
import { safeEqual } from '../crypto/safe-equal.ts';
import type { Request, Response } from 'express';
import { DEFAULT_LOCALE, LOCALES, pickLocale, translate } from '../i18n/i18n.ts';
import { views } from '../views.ts';
import { textColorOn } from './brand-colors.ts';

export interface Brand {
  name: string;
  color?: string | undefined;
  logo?: string | undefined;
}

export interface Page {
  locale: string;
  title: string;
  nonce: string;
  brandName: string;
  brandColor: string | undefined;
  /** White or black, whichever reads on `brandColor` at WCAG AA (see brand-colors.ts). */
  brandTextColor: string | undefined;
  brandLogo: string | undefined;
  errorCode: number | undefined;
  languageSwitch: { returnTo: string; token: string; options: { locale: string; name: string; current: boolean }[] } | undefined;
  t: (key: string, vars?: Record<string, string | number>) => string;
}

declare module 'express-session' {
  interface SessionData {
    csrf: string;
    locale: string;
    /** Ties pending upstream logins to this browser; survives session id regeneration. */
    browserId: string;
  }
}

export const PORTVAGT_BRAND: Brand = { name: 'Portvagt' };

const hmac = (key: string, value: string) => createHmac('sha256', key).update(value).digest('base64url');

export { safeEqual };

/** The per-session CSRF token every form carries. */
export function csrfToken(req: Request): string {
  if (!req.session.csrf) req.session.csrf = randomBytes(24).toString('base64url');
  return req.session.csrf;
}

export function checkCsrf(req: Request): boolean {
  const sent = (req.body as Record<string, unknown> | undefined)?.csrf;
  return typeof sent === 'string' && !!req.session.csrf && safeEqual(sent, req.session.csrf);
}

export function browserId(req: Request): string {
  if (!req.session.browserId) req.session.browserId = randomBytes(18).toString('base64url');
  return req.session.browserId;
}

/**
 * A path on this site and nothing a browser could read as another host: one leading slash, no second
 * slash or backslash after it, no control characters (browsers drop tabs and newlines from URLs).
 */
export function isLocalPath(path: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^\/(?![/\\])[^\\\x00-\x1f\x7f]*$/.test(path);
}

/** The language switch is bound to its page and session: a token over both, checked on submit. */
export function languageSwitchToken(secret: string, sessionId: string, returnTo: string): string {
  return hmac(secret, `lang|${sessionId}|${returnTo}`);
}

/** Language: the RP's ui_locales, then the user's choice, then Accept-Language, then Danish. */
export function resolveLocale(req: Request, uiLocales?: string): string {
  return pickLocale(uiLocales, req.session?.locale, req.get('accept-language')) ?? DEFAULT_LOCALE;
}

export interface RenderOptions {
  titleKey: string;
  brand?: Brand | undefined;
  uiLocales?: string | undefined;
  errorCode?: number | undefined;
  status?: number;
}

export interface PageRenderer {
  render(req: Request, res: Response, view: string, data: Record<string, unknown>, options: RenderOptions): void;
  page(req: Request, res: Response, options: RenderOptions): Page;
}

export function pageRenderer(languageSecret: string): PageRenderer {
  function page(req: Request, res: Response, options: RenderOptions): Page {
    const locale = resolveLocale(req, options.uiLocales);
    const t = (key: string, vars?: Record<string, string | number>) => translate(locale, key, vars);
    const brand = options.brand ?? PORTVAGT_BRAND;
    const returnTo = req.method === 'GET' ? req.originalUrl : undefined;
    // A callback URL is single-use and carries upstream text: switching there would replay it.
    const canSwitch = returnTo !== undefined && returnTo.length <= 2000 && isLocalPath(returnTo) && !returnTo.startsWith('/callback/') && req.session !== undefined;
    return {
      locale,
      title: t(options.titleKey),
      nonce: String(res.locals.cspNonce ?? ''),
      brandName: brand.name,
      brandColor: brand.color,
      brandTextColor: brand.color ? textColorOn(brand.color) : undefined,
      brandLogo: brand.logo,
      errorCode: options.errorCode,
      languageSwitch: canSwitch
        ? {
            returnTo,
            token: languageSwitchToken(languageSecret, req.sessionID, returnTo),
            options: LOCALES.map((l) => ({ locale: l, name: translate(l, 'meta.name'), current: l === locale })),
          }
        : undefined,
      t,
    };
  }
  return {
    page,
    render(req, res, view, data, options) {
      const html = views.render(view, { ...data, page: page(req, res, options) });
      res.status(options.status ?? 200).type('html').set('Cache-Control', 'no-store').send(html);
    },
  };
}
