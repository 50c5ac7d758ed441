import type { Request, Response } from 'express';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { PageRenderer } from '../http/page.ts';
import { views } from '../views.ts';

/** The page after an RP-initiated logout that names no address to return to. */
export function logoutRenderer(pages: PageRenderer) {
  return (req: Request, res: Response, ctx: KoaContextWithOIDC): void => {
    ctx.type = 'html';
    ctx.body = views.render('logout', { page: pages.page(req, res, { titleKey: 'ui.logout.doneTitle' }) });
  };
}
