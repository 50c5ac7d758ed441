import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Router } from 'express';
import { pickLocale, translate } from '../i18n/i18n.ts';
import { pageTime } from '../i18n/page-time.ts';
import type { OutboxMail } from '../mail/mail-transport.ts';
import { views } from '../views.ts';

/** The demo's own words (the demo system is not Portvagt: its texts stay out of Portvagt's locale files). */
const TEXTS = {
  da: {
    title: 'Udbakke (demo)',
    intro: 'I demo-tilstand sender Portvagt ikke e-mails. Her er de invitationer der ville være sendt, nyeste først.',
    empty: 'Ingen e-mails endnu. Send en invitation, f.eks. med:',
    to: 'Til',
    at: 'Tidspunkt',
    language: 'Sprog',
    html: 'Vis HTML-udgaven',
    text: 'Tekstudgaven',
  },
  en: {
    title: 'Outbox (demo)',
    intro: 'In demo mode Portvagt sends no e-mail. These are the invitations it would have sent, newest first.',
    empty: 'No e-mails yet. Send an invitation, e.g. with:',
    to: 'To',
    at: 'Sent',
    language: 'Language',
    html: 'Show the HTML version',
    text: 'Plain text version',
  },
} as const;

const FILE = /^\d+-([0-9a-f-]{36})\.json$/;

function readOutbox(dir: string): OutboxMail[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => FILE.test(f));
  } catch {
    return [];
  }
  return files
    .sort()
    .reverse()
    .slice(0, 50)
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as OutboxMail);
}

/** /demo/outbox: the mails the embedded default wrote instead of sending them, in Danish or English. */
export function outboxRoutes(dir: string): Router {
  const router = express.Router();
  router.get('/demo/outbox', (req, res) => {
    const locale = pickLocale(typeof req.query.lang === 'string' ? req.query.lang : undefined, req.get('accept-language')) === 'en' ? 'en' : 'da';
    // Danish time in the words of Portvagt's own pages, for a demo user reading it beside them.
    const mails = readOutbox(dir).map((m) => ({ ...m, atText: pageTime(locale, new Date(m.at)) }));
    const languages = (['da', 'en'] as const).map((l) => ({ locale: l, name: translate(l, 'meta.name'), current: l === locale }));
    res.type('html').set('Cache-Control', 'no-store').send(views.render('outbox', { locale, t: TEXTS[locale], languages, mails }));
  });
  router.get('/demo/outbox/:id', (req, res, next) => {
    const mail = readOutbox(dir).find((m) => m.id === req.params.id);
    if (!mail) return next();
    // The mail's own HTML with its inline styles, and nothing else: no scripts, no frames, no forms.
    res
      .type('html')
      .set('Cache-Control', 'no-store')
      .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; frame-ancestors 'none'; form-action 'none'")
      .send(mail.html);
  });
  return router;
}
