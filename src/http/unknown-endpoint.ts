import type { Request, Response } from 'express';

/**
 * A request at one of the provider's machine addresses (token, userinfo, JWKS, `.well-known`) that no
 * endpoint serves, such as `GET /token`: an OAuth error in JSON for an RP's back end, not a page.
 */
export function unknownEndpoint(req: Request, res: Response): void {
  res.status(404).set('cache-control', 'no-store').json({ error: 'invalid_request', error_description: `no endpoint for ${req.method} ${req.path}` });
}
