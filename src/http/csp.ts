import { randomBytes } from 'node:crypto';
import type { RequestHandler, Response } from 'express';

type Policy = (nonce?: string) => string;

/**
 * The pages' Content-Security-Policy, with the directives helmet would write. Every page response
 * carries it; an HTML page asks for a nonce (`cspNonce`) for its inline style and scripts and gets the
 * policy with that nonce, so the redirects that make up most of a login draw no random bytes for a
 * nonce nobody uses.
 */
export function contentSecurityPolicy(secure: boolean): RequestHandler {
  const policy: Policy = (nonce) => {
    const own = nonce ? ` 'nonce-${nonce}'` : '';
    return [
      "default-src 'self'",
      "base-uri 'self'",
      "font-src 'self' https: data:",
      "frame-ancestors 'none'",
      "img-src 'self' data: https:",
      "object-src 'none'",
      `script-src 'self'${own}`,
      "script-src-attr 'none'",
      `style-src 'self'${own}`,
      // No form-action: forms post to Portvagt, which then redirects to upstreams and RPs.
      ...(secure ? ['upgrade-insecure-requests'] : []),
    ].join(';');
  };
  const withoutNonce = policy();
  return (_req, res, next) => {
    res.locals.cspPolicy = policy;
    res.setHeader('Content-Security-Policy', withoutNonce);
    next();
  };
}

/** The nonce of a page response (made and put into its policy on first use); none outside the pages. */
export function cspNonce(res: Response): string | undefined {
  const policy = res.locals.cspPolicy as Policy | undefined;
  if (!policy) return undefined;
  let nonce = res.locals.cspNonce as string | undefined;
  if (!nonce) {
    nonce = randomBytes(16).toString('base64');
    res.locals.cspNonce = nonce;
    res.setHeader('Content-Security-Policy', policy(nonce));
  }
  return nonce;
}
