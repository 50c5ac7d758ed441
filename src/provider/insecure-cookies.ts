import type { Provider } from 'oidc-provider';

type Middleware = Parameters<Provider['use']>[0];

/**
 * Over plain http (the demo, local tests) oidc-provider's session cookie goes out SameSite=Lax
 * instead of None: it insists on None (for POST to the authorization endpoint), and browsers refuse
 * None without Secure, which http cannot set, so no browser would keep the session and a logout
 * could not be confirmed (docs/relying-parties.md, "Logout"). Behind https nothing changes.
 */
export const insecureSameSiteLax: Middleware = async (ctx, next) => {
  await next();
  // A page Portvagt rendered itself (an error page: `ctx.respond = false`) has gone out already.
  if (ctx.secure || ctx.res.headersSent) return;
  const cookies = ctx.res.getHeader('set-cookie');
  if (!Array.isArray(cookies)) return;
  ctx.res.setHeader('set-cookie', cookies.map((cookie) => cookie.replace(/;\s*samesite=none/i, '; samesite=lax')));
};
