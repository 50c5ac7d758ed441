import type { Request, Response } from 'express';
import { DEFAULT_LOCALE, inLocale, LOCALES, pickLocale, translate } from '../i18n/i18n.ts';
import { languageNotice, type LanguageNotice } from '../i18n/language-notice.ts';
import { pageTime } from '../i18n/page-time.ts';
import { views } from '../views.ts';
import { cspNonce } from './csp.ts';
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
  /** Plain links to this same page in each language (GET /lang; a preference needs no CSRF token). */
  languageSwitch: { locale: string; name: string; current: boolean; href: string }[] | undefined;
  /** The deployment's accessibility statement in the page's language, for the footer. */
  accessibilityStatement: string | undefined;
  /** For a visitor who prefers a language the pages are not in: MitID.dk's notice, and the languages there are. */
  languageNotice: (LanguageNotice & { languages: { locale: string; name: string; href: string | undefined }[] }) | undefined;
  t: (key: string, vars?: Record<string, string | number>) => string;
  /** A moment (ms since the epoch) in Danish time, in the page's language. */
  time: (at: number) => string;
}

export const PORTVAGT_BRAND: Brand = { name: 'Portvagt' };

/**
 * A path on this site and nothing a browser could read as another host: one leading slash, no second
 * slash or backslash after it, no control characters (browsers drop tabs and newlines from URLs).
 */
export function isLocalPath(path: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^\/(?![/\\])[^\\\x00-\x1f\x7f]*$/.test(path);
}

/** The language switch's address for a page: GET /lang with the language and the page to return to. */
export function languageLink(locale: string, returnTo: string): string {
  return `/lang?${new URLSearchParams({ lang: locale, return_to: returnTo }).toString()}`;
}

/** Language: the user's own choice on a page, then the RP's ui_locales, then Accept-Language, then Danish. */
export function resolveLocale(req: Request, uiLocales?: string): string {
  return pickLocale(req.browser?.locale, uiLocales, req.get('accept-language')) ?? DEFAULT_LOCALE;
}

export interface RenderOptions {
  titleKey: string;
  brand?: Brand | undefined;
  uiLocales?: string | undefined;
  errorCode?: number | undefined;
  status?: number;
  /** The page's own GET address, for a page that answers a POST (a form shown again with its errors). */
  switchPath?: string | undefined;
  /**
   * The part of the page the visitor was sent to (`#mitid`), for the language switch to keep: the
   * server never sees a URL's fragment, so a link that wants it kept names it (help page: `?at=`).
   */
  fragment?: string | undefined;
}

export interface PageRenderer {
  render(req: Request, res: Response, view: string, data: Record<string, unknown>, options: RenderOptions): void;
  page(req: Request, res: Response, options: RenderOptions): Page;
}

/** What every page shows from the configuration. */
export interface PageSettings {
  accessibilityStatementUrl?: string | Record<string, string> | undefined;
}

export function pageRenderer(settings: PageSettings = {}): PageRenderer {
  function page(req: Request, res: Response, options: RenderOptions): Page {
    const locale = resolveLocale(req, options.uiLocales);
    const t = (key: string, vars?: Record<string, string | number>) => translate(locale, key, vars);
    const brand = options.brand ?? PORTVAGT_BRAND;
    const returnTo = options.switchPath ?? (req.method === 'GET' ? req.originalUrl : undefined);
    // A callback URL is single-use and carries upstream text: switching there would replay it.
    const canSwitch = returnTo !== undefined && returnTo.length <= 2000 && isLocalPath(returnTo) && !returnTo.startsWith('/callback/') && req.browser !== undefined;
    const fragment = options.fragment ? `#${options.fragment}` : '';
    const languageSwitch = canSwitch ? LOCALES.map((l) => ({ locale: l, name: translate(l, 'meta.name'), current: l === locale, href: languageLink(l, returnTo) + fragment })) : undefined;
    const notice = languageNotice(locale, req.browser?.locale, options.uiLocales, req.get('accept-language'));
    return {
      locale,
      title: t(options.titleKey),
      nonce: cspNonce(res) ?? '',
      brandName: brand.name,
      brandColor: brand.color,
      brandTextColor: brand.color ? textColorOn(brand.color) : undefined,
      brandLogo: brand.logo,
      errorCode: options.errorCode,
      languageSwitch,
      accessibilityStatement: inLocale(settings.accessibilityStatementUrl, locale),
      languageNotice: notice && { ...notice, languages: LOCALES.map((l) => ({ locale: l, name: translate(l, 'meta.name'), href: languageSwitch?.find((o) => o.locale === l)?.href })) },
      t,
      time: (at) => pageTime(locale, new Date(at)),
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
