import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import type { PageRenderer } from './page.ts';

/** The files browsers and crawlers ask every site for, kept a day: they change only with a release. */
const CACHE = 'public, max-age=86400';

/** No page of a login broker belongs in a search index. */
const ROBOTS = 'User-agent: *\nDisallow: /\n';

/** `/favicon.ico` from `publicDir` and `/robots.txt`, answered before any browser cookie is read or set. */
export function siteFiles(publicDir: string): Router {
  const favicon = readFileSync(join(publicDir, 'favicon.ico'));
  const router = express.Router();
  router.get('/favicon.ico', (_req, res) => void res.set('Cache-Control', CACHE).type('image/x-icon').send(favicon));
  router.get('/robots.txt', (_req, res) => void res.set('Cache-Control', CACHE).type('text/plain').send(ROBOTS));
  return router;
}

/** An address that leads nowhere: a plain "not found" page in the user's language, not a failed login. */
export function notFoundPage(pages: PageRenderer) {
  return (req: Request, res: Response): void => pages.render(req, res, 'not-found', {}, { titleKey: 'ui.notFound.title', status: 404 });
}
