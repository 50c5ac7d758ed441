import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler } from 'express';
import type Provider from 'oidc-provider';

/**
 * The provider as an Express handler that passes on what it leaves unanswered (a method an endpoint
 * does not take, an unknown `.well-known` address): Portvagt answers those itself, not with Koa's
 * bare text "Not Found". `prepare` readies each request for the provider.
 */
export function providerHandler(provider: Provider, prepare: (req: Request) => IncomingMessage): RequestHandler {
  const passOn = new WeakMap<IncomingMessage, NextFunction>();
  provider.use(async (ctx, next) => {
    await next();
    const toExpress = passOn.get(ctx.req);
    // Koa's untouched default: no route matched, or one matched and let it pass (a CORS preflight without Origin).
    const unanswered = ctx.status === 404 && ctx.body == null && ctx.respond !== false && !ctx.res.headersSent;
    if (!unanswered || !toExpress) return;
    ctx.respond = false;
    toExpress();
  });
  const callback = provider.callback();
  return (req, res, next) => {
    passOn.set(req, next);
    void callback(prepare(req), res);
  };
}
