/**
 * The help page (/help/errors): what to do about a blocked MitID (seed 002) or NemID, first-time
 * login, linking, who can help (the configured support contacts), and every error code. Opened from
 * an error page it carries `return=/interaction/<uid>`, its way back into that login.
 */
import type { Request, RequestHandler } from 'express';
import type { Config } from '../config/model.ts';
import type { PublicLink } from '../errors/advice.ts';
import { ERROR_CODES } from '../errors/catalogue.ts';
import { translate } from '../i18n/i18n.ts';
import { helpHref, publicLinkView, resolveContact, type ContactView } from './error-content.ts';
import { resolveLocale, type PageRenderer } from '../http/page.ts';

const RETURN = /^\/interaction\/[A-Za-z0-9_-]{1,64}$/;
const MITID_LINKS: PublicLink[] = ['mitidAppPin', 'mitidBlocked', 'mitidPassword'];
const NEMID_LINKS: PublicLink[] = ['nemidSupport', 'nemidLostCodeCard', 'nemidOrderOces'];

/** A place on the page: a topic or a code. */
const ANCHOR = /^[\w-]{1,32}$/;

function returnTo(req: Request): string | undefined {
  const value = req.query.return;
  return typeof value === 'string' && RETURN.test(value) ? value : undefined;
}

export function helpPage(config: Config, pages: PageRenderer): RequestHandler {
  return (req, res) => {
    const locale = resolveLocale(req);
    const links = (keys: PublicLink[]) => keys.map((k) => publicLinkView(k, locale));
    // One entry per contact, naming every method it serves (MitID and MitID Erhverv share MitID support).
    const byName = new Map<string, { methods: string[]; contact: ContactView }>();
    for (const m of config.methods.values()) {
      const contact = resolveContact(config, 'upstream', { method: m.id }, locale);
      if (!contact) continue;
      const entry = byName.get(contact.name) ?? { methods: [], contact };
      entry.methods.push(m.displayName);
      byName.set(contact.name, entry);
    }
    const upstreams = [...byName.values()].map((e) => ({ method: e.methods.join(', '), contact: e.contact }));
    const method = typeof req.query.method === 'string' ? config.methods.get(req.query.method) : undefined;
    const back = returnTo(req);
    const at = typeof req.query.at === 'string' && ANCHOR.test(req.query.at) ? req.query.at : undefined;
    pages.render(
      req,
      res,
      'help',
      {
        codes: ERROR_CODES,
        // Opened from an error page, the page's method; the texts name it as that page did.
        vars: { method: method?.displayName ?? translate(locale, 'ui.errorPage.yourMethod'), system: translate(locale, 'ui.errorPage.yourSystem') },
        returnTo: back,
        // The topics link the page itself at their place, so that a language switch there keeps it.
        topicHref: (anchor: string) => helpHref(anchor, back, method?.id),
        mitidLinks: links(MITID_LINKS),
        nemidLinks: links(NEMID_LINKS),
        service: resolveContact(config, 'service', {}, locale),
        upstreams,
      },
      { titleKey: 'ui.help.title', fragment: at },
    );
  };
}
