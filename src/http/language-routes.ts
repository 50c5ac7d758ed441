import express, { type Router } from 'express';
import { BrokerError } from '../errors/broker-error.ts';
import type { ErrorResponder } from './error-page.ts';
import { isLocale } from '../i18n/i18n.ts';
import { isLocalPath, languageSwitchToken, safeEqual } from './page.ts';

/**
 * The language switch: a form bound to the page and the session. A link pasted into the address bar,
 * replayed from another session or pointing elsewhere ends in 8000, never in a redirect.
 */
export function languageRoutes(secret: string, fail: ErrorResponder): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 });
  router.get('/lang', (req, res) => fail(req, res, new BrokerError(8000, { detail: 'language switch by GET' }), { event: 'language' }));
  router.post('/lang', form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { lang, return_to: returnTo, token } = body;
    const valid =
      typeof lang === 'string' &&
      isLocale(lang) &&
      typeof returnTo === 'string' &&
      isLocalPath(returnTo) &&
      typeof token === 'string' &&
      safeEqual(token, languageSwitchToken(secret, req.sessionID, returnTo));
    if (!valid) return fail(req, res, new BrokerError(8000, { detail: 'language switch token invalid' }), { event: 'language' });
    req.session.locale = lang;
    res.redirect(303, returnTo);
  });
  return router;
}
