import type { Config } from '../config/schema.ts';
import type { Logger } from '../logger.ts';
import type { Connector } from './connector.ts';
import { getDialect, resolveAliases } from './dialects/index.ts';
import { OidcConnector } from './oidc-connector.ts';
import { observedFetch, upstreamFetch, type UpstreamCallObserver } from './upstream-fetch.ts';

/** The issuer of an upstream: configured, or the built-in mock mounted beside the broker. */
export function upstreamIssuer(config: Config, upstream: Config['upstreams'][number]): string {
  return upstream.issuer ?? `${config.server.base_url}/mock/${upstream.id}`;
}

type UpstreamFetch = typeof upstreamFetch;

/**
 * One connector per configured upstream; adding an upstream is configuration only. `observe` hears of
 * every upstream call (the metrics); `track` wraps each upstream's HTTP client (e.g. to note which
 * upstreams stopped answering).
 */
export function createConnectors(config: Config, log: Logger, observe?: UpstreamCallObserver, track?: (upstream: string, send: UpstreamFetch) => UpstreamFetch): Map<string, Connector> {
  return new Map(
    config.upstreams.map((u): [string, Connector] => {
      const send = track ? track(u.id, upstreamFetch) : upstreamFetch;
      const connector = new OidcConnector({
        id: u.id,
        displayName: u.display_name,
        issuer: upstreamIssuer(config, u),
        clientId: u.client_id,
        clientSecret: u.client_secret,
        scope: u.scope,
        acrValues: u.acr_values,
        providesCpr: u.provides_cpr,
        callbackUrl: `${config.server.base_url}/callback/${u.id}`,
        dialect: getDialect(u.dialect),
        errorAliases: resolveAliases(getDialect(u.dialect), u.error_aliases).aliases,
        timeoutMs: config.timeouts.upstream_http_ms,
        log,
        fetch: observe ? observedFetch(u.id, send, observe) : send,
      });
      return [u.id, connector];
    }),
  );
}
