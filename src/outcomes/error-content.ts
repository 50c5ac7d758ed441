/**
 * What an error page says, decided in one place from the code, the dialect row's advice and the
 * configuration: the texts to show, whether "Prøv igen" helps, whom to contact (with the configured
 * name, phone, e-mail, web page and hours), the public links and the help-page section. The page
 * itself (views/error.eta) only lays this out.
 */
import { lookup, type Config, type Support } from '../config/model.ts';
import type { Advice, ContactKind, HelpSection } from '../errors/advice.ts';
import { publicLinkPage, type PublicLink } from '../errors/advice.ts';
import type { BrokerError } from '../errors/broker-error.ts';
import { CATALOGUE } from '../errors/catalogue.ts';
import { SUPPORT_TEXTS } from '../errors/support-texts.ts';
import { hasKey, inLocale, translate } from '../i18n/i18n.ts';

export interface ContactView {
  name: string;
  phone?: string | undefined;
  email?: string | undefined;
  url?: string | undefined;
  hours?: string | undefined;
}

export interface ErrorContent {
  /** Locale key of the code's texts: `codes.<code>`, or one of its variants. */
  textKey: string;
  /** Placeholders of those texts: the login method used, the system, and for a level refusal the levels. */
  vars: Record<string, string>;
  guidance: string | undefined;
  retry: boolean;
  /** No retry, but the system offers other login methods: "Vælg en anden loginmetode". */
  chooseOther: boolean;
  contact: ContactView | undefined;
  links: { label: string; url: string; hreflang: string | undefined }[];
  help: { section: HelpSection; label: string; href: string } | undefined;
  /** The help page's entry for the code. */
  codeHelp: string;
  /** The action the text names (see OFFERS): a form to post (`post`) or a page of the flow to go to (`href`). */
  offer: { label: string; post?: string; href?: string } | undefined;
}

/** Where the failure happened, as far as the page's content needs it. */
export interface ContentContext {
  clientId?: string | undefined;
  tenant?: string | undefined;
  method?: string | undefined;
  retryUrl?: string | undefined;
}

/** A public page as a page links it: its label, and "(på engelsk)" where it is not in the page's language. */
export function publicLinkView(link: PublicLink, locale: string): { label: string; url: string; hreflang: string | undefined } {
  const { url, lang } = publicLinkPage(link, locale);
  const label = translate(locale, `links.${link}`);
  return { label: lang ? `${label} ${translate(locale, `links.inLanguage.${lang}`)}` : label, url, hreflang: lang };
}

function contactView(support: Support | undefined, locale: string): ContactView | undefined {
  if (!support) return undefined;
  return { name: inLocale(support.name, locale)!, phone: support.phone, email: support.email, url: inLocale(support.url, locale), hours: inLocale(support.hours, locale) };
}

/**
 * The configured contact of a kind: the upstream's own support; the user's IT (the tenant's support,
 * else the upstream's, a company 2FA's helpdesk); this service (the client's support, else the
 * deployment's). A bank is the user's own, so there is nothing to configure.
 */
export function resolveContact(config: Config, kind: ContactKind, context: ContentContext, locale: string): ContactView | undefined {
  const upstream = lookup(config.methods, context.method)?.support;
  const tenant = lookup(config.tenants, context.tenant)?.support;
  const client = lookup(config.clients, context.clientId)?.support;
  const service = client ?? config.support;
  const chosen = { upstream, it: tenant ?? upstream, service, tenant: tenant ?? config.support, bank: undefined }[kind];
  return contactView(chosen, locale);
}

/** Codes where another login method may well work when the one chosen did not: upstream refusals, and an identity no account has. */
const CHOOSE_OTHER_CODES = new Set([3003, 5500, 5501, 5502, 6001]);

/**
 * The action a page's text names, by code and wording, where its flow can take it: a form that turns
 * the flow into that action (where the system allows it; see flows/action-offers.ts), or the flow's
 * own page to go back to (a link flow's list of methods).
 */
const OFFERS: Record<string, { label: string; post?: string; needs?: 'login' | 'first-login' }> = {
  '6001': { label: 'startFirstLogin', post: '/first-login/start', needs: 'first-login' },
  '6002': { label: 'startLogin', post: '/login/start', needs: 'login' },
  '6002.link': { label: 'toLinkPage' },
};

/** The help-page section a page links to: the row's own, or the one its code always needs. */
function helpSection(error: BrokerError, advice: Advice | undefined): HelpSection | undefined {
  if (advice?.help) return advice.help;
  // No MitID broker reports a blocked authenticator: its users end on these pages (see mitid.ts).
  if (error.upstream?.dialect === 'mitid' && [3003, 5500, 5502].includes(error.code)) return 'mitid';
  if (error.code === 5007 || (error.code === 6001 && error.variant === undefined)) return 'first-login';
  if (error.code === 6002 && error.variant === 'link') return 'linking';
  return undefined;
}

/**
 * The help page at `anchor`, with the way back into the login, the method the page named (so its texts
 * name it too) and the anchor again as `at` (so its language switch keeps the place; see page.ts).
 */
export function helpHref(anchor: string, retryUrl: string | undefined, method: string | undefined): string {
  const query = new URLSearchParams({ ...(retryUrl ? { return: retryUrl } : {}), ...(method ? { method } : {}), at: anchor }).toString();
  return `/help/errors?${query}#${anchor}`;
}

export function errorContent(config: Config, error: BrokerError, context: ContentContext, locale: string): ErrorContent {
  const t = (key: string, vars?: Record<string, string>) => translate(locale, key, vars);
  const advice = error.advice;
  const entry = CATALOGUE[error.code];
  const variantKey = `codes.${error.code}.variants.${error.variant ?? ''}`;
  const textKey = error.variant !== undefined && hasKey('da', `${variantKey}.title`) ? variantKey : `codes.${error.code}`;
  const upstream = lookup(config.methods, context.method);
  const method = upstream?.displayName ?? t('ui.errorPage.yourMethod');
  const levels: { required?: string; reached?: string } = error.levels ? { required: t(`levels.${error.levels.required}`), reached: t(`levels.${error.levels.reached ?? 'none'}`) } : {};
  const retry = entry.retry && (advice?.retry ?? true) && context.retryUrl !== undefined;
  const client = lookup(config.clients, context.clientId);
  const system = client?.displayName ?? t('ui.errorPage.yourSystem');
  const otherMethods = (client?.loginMethods.length ?? 0) > 1;
  const section = helpSection(error, advice);
  const offered = OFFERS[error.variant === undefined ? String(error.code) : `${error.code}.${error.variant}`];
  const offer = offered && context.retryUrl !== undefined && (!offered.needs || !!client?.actions.includes(offered.needs)) ? offered : undefined;
  const vars: Record<string, string> = { method, system, ...levels };
  const actionKey = advice?.guidance ? `guidance.${advice.guidance}` : `${textKey}.action`;
  // Contact details where the page tells the user to contact someone: the row names whom, or its text names support.
  const named = advice?.contact !== undefined || SUPPORT_TEXTS.has(actionKey);
  const contact = named ? resolveContact(config, advice?.contact ?? 'service', context, locale) : undefined;
  // A link to the page the contact block already gives would say the same thing twice.
  const links = (advice?.links ?? []).map((link) => publicLinkView(link, locale)).filter((link) => link.url !== contact?.url);
  return {
    textKey,
    vars,
    guidance: advice?.guidance,
    retry,
    chooseOther: !retry && CHOOSE_OTHER_CODES.has(error.code) && otherMethods && context.retryUrl !== undefined,
    contact,
    links,
    help: section ? { section, label: t(`ui.errorPage.help.${section}`), href: helpHref(section, context.retryUrl, upstream?.id) } : undefined,
    codeHelp: helpHref(String(error.code), undefined, upstream?.id),
    offer: offer ? { label: t(`ui.errorPage.${offer.label}`), ...(offer.post ? { post: `${context.retryUrl!}${offer.post}` } : { href: context.retryUrl! }) } : undefined,
  };
}
