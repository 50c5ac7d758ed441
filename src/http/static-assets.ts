import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type Router } from 'express';

/** Where the dkfds package keeps its built CSS, fonts and images (its only export is the JS bundle). */
const DKFDS_DIST = dirname(dirname(createRequire(import.meta.url).resolve('dkfds')));

/**
 * Det Fælles Designsystem served from the installed package at /static/dkfds/{css,fonts,img}, so the
 * version in package-lock.json is the version users get: no CDN, no copy to keep in step. Only the
 * folders the stylesheet refers to are exposed; the JS bundle is not needed, no page relies on script.
 */
export function designSystemAssets(): Router {
  const router = express.Router();
  for (const folder of ['css', 'fonts', 'img']) {
    router.use(`/static/dkfds/${folder}`, express.static(join(DKFDS_DIST, folder), { maxAge: '1d', index: false, fallthrough: false }));
  }
  return router;
}
