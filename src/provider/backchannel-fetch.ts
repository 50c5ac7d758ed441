import type { Client } from '../config/model.ts';

type Fetch = (url: string | URL | Request, options?: RequestInit) => Promise<Response>;

/**
 * oidc-provider's outgoing requests refuse special-use addresses (loopback, private networks), which
 * guards against requests to addresses a client registered itself. Portvagt's clients are the
 * operator's, and a system's back-channel logout address is often internal (docs/relying-parties.md,
 * "Logout"): exactly those configured addresses are called without the guard; any other keeps it.
 */
export function backchannelFetch(clients: readonly Client[]): Fetch {
  const configured = new Set(clients.flatMap((c) => (c.backchannelLogoutUri ? [new URL(c.backchannelLogoutUri).href] : [])));
  return (url, options) => {
    if (typeof url !== 'string' || !configured.has(url) || !options) return fetch(url, options);
    // oidc-provider hands its guarded dispatcher in the options (undici's extension of RequestInit).
    const { dispatcher: _guard, ...unguarded } = options as RequestInit & { dispatcher?: unknown };
    return fetch(url, unguarded);
  };
}
