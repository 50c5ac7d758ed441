import type { Logger } from '../logger.ts';
import type { Connector } from './connector.ts';
import type { UpstreamSettings } from './method-config.ts';
import { OidcConnector } from './oidc-connector.ts';
import { observedFetch, upstreamFetch, type UpstreamCallObserver } from './upstream-fetch.ts';

type UpstreamFetch = typeof upstreamFetch;

/**
 * One connector per configured login method; adding one is configuration only. `observe` hears of
 * every upstream call (the metrics); `track` wraps each upstream's HTTP client (e.g. to note which
 * upstreams stopped answering).
 */
export function createConnectors(methods: Iterable<UpstreamSettings>, timeoutMs: number, log: Logger, observe?: UpstreamCallObserver, track?: (method: string, send: UpstreamFetch) => UpstreamFetch): Map<string, Connector> {
  return new Map(
    [...methods].map((settings): [string, Connector] => {
      const send = track ? track(settings.id, upstreamFetch) : upstreamFetch;
      const connector = new OidcConnector({ ...settings, timeoutMs, log, fetch: observe ? observedFetch(settings.id, send, observe) : send });
      return [settings.id, connector];
    }),
  );
}
