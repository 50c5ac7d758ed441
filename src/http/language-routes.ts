import express, { type Request, type Response, type Router } from 'express';
import { BrokerError } from '../errors/broker-error.ts';
import { browserOf } from './browser-cookies.ts';
import { isLocale } from '../i18n/i18n.ts';
import { isLocalPath } from './page.ts';

const single = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The language switch: a plain link, `GET /lang?lang=en&return_to=/page`. A language preference is
 * nothing to forge, so it needs no token and works on a first visit; it only ever sends the browser
 * to a path on this site. A link naming an unknown language or another site is 8000, never a redirect.
 */
export function languageRoutes(refuse: (req: Request, res: Response, error: BrokerError) => Promise<void>): Router {
  const router = express.Router();
  router.get('/lang', (req, res) => {
    const lang = single(req.query.lang);
    const returnTo = single(req.query.return_to);
    if (!isLocale(lang) || returnTo === undefined || returnTo.length > 2000 || !isLocalPath(returnTo)) {
      return refuse(req, res, new BrokerError(8000, { detail: 'language switch link malformed' }));
    }
    browserOf(req).setLocale(lang);
    res.redirect(303, returnTo);
  });
  return router;
}
