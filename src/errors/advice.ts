/**
 * What an error page advises, as data: one model for the dialect rows and for Portvagt's own codes,
 * so that the text, the "Prøv igen" button, the contact and the links can never disagree.
 */

/**
 * Whom the user should contact when they cannot fix it themselves: the upstream's own support (NemID
 * support, MitID support), their bank, their own IT (a company's 2FA), this service's support, or
 * whoever manages their account (`tenant`: the company's support, else this deployment's). The names,
 * phone numbers and hours come from the configuration (`support` blocks).
 */
export type ContactKind = 'upstream' | 'bank' | 'it' | 'service' | 'tenant';

/** Sections of the help page (/help/errors) a page can point to. */
export const HELP_SECTIONS = ['mitid', 'nemid', 'first-login', 'linking', 'support'] as const;
export type HelpSection = (typeof HELP_SECTIONS)[number];

/**
 * Public pages the upstreams' own documentation points users to (NemID: seed 000; MitID: seed 002 and
 * MitID.dk), by the language each page is written in. Where a page exists in one language only, the
 * other language's pages link it and say which language it is in. The label of each is `links.<key>`.
 */
export const PUBLIC_LINKS = {
  nemidSupport: { da: 'https://www.nemid.nu/dk-da/support/faa_hjaelp_til_nemid/kontakt/', en: 'https://www.nemid.nu/dk-en/support/contact/' },
  nemidLostCodeCard: {
    da: 'https://service.nemid.nu/dk-da/nemid/noeglekort/mistet_noeglekort/',
    en: 'https://service.nemid.nu/dk-en/nemid/code_cards/lost_code_card/',
  },
  nemidOrderOces: { da: 'https://service.nemid.nu/dk-da/bestil_nemid/' },
  mitidBlocked: { en: 'https://www.mitid.dk/en-gb/help/help-universe/mitid-authenticators/mitid-authenticator-is-blocked/' },
  mitidAppPin: { en: 'https://www.mitid.dk/en-gb/help/help-universe/mitid-app/reactivate-app' },
  mitidPassword: { da: 'https://www.mitid.dk/hjaelp/hjaelpeunivers/mitid-adgangskode/faa-en-ny-mitid-adgangskode/' },
} as const satisfies Record<string, { da: string; en?: string } | { da?: string; en: string }>;

export type PublicLink = keyof typeof PUBLIC_LINKS;

/** A public page in the reader's language where it exists; else the other, with the language it is in. */
export function publicLinkPage(link: PublicLink, locale: string): { url: string; lang: string | undefined } {
  const pages: Partial<Record<string, string>> = PUBLIC_LINKS[link];
  const own = pages[locale];
  if (own) return { url: own, lang: undefined };
  const [lang, url] = Object.entries(pages).find((entry): entry is [string, string] => entry[1] !== undefined)!;
  return { url, lang };
}

export interface Advice {
  /** Key under `guidance.` in every locale file: what this means for the user and what to do. */
  guidance?: string | undefined;
  /** Whether starting the login again can help; false hides "Prøv igen". */
  retry: boolean;
  /** Whom to contact when the advice is not enough; unset means this service's support. */
  contact?: ContactKind | undefined;
  /** Public pages that help, in the order shown. */
  links?: readonly PublicLink[] | undefined;
  /** A help-page section with more on this. */
  help?: HelpSection | undefined;
  /** Only the service can fix it (a fault in the integration): logged at error level. */
  integration?: true | undefined;
}
