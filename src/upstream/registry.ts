import { ConfigError } from '../config/load.ts';
import type { Config, UpstreamConfig } from '../config/schema.ts';
import { readUpstreamKey } from '../config/upstream-key.ts';
import type { Logger } from '../logger.ts';
import type { Connector } from './connector.ts';
import { getDialect, resolveAliases } from './dialects/index.ts';
import { OidcConnector, type UpstreamAuth } from './oidc-connector.ts';
import { resolveProfile } from './profiles/index.ts';
import { observedFetch, upstreamFetch, type UpstreamCallObserver } from './upstream-fetch.ts';

/** The issuer of an upstream: configured, or the built-in mock mounted beside the broker. */
export function upstreamIssuer(config: Config, upstream: Config['upstreams'][number]): string {
  return upstream.issuer ?? `${config.server.base_url}/mock/${upstream.id}`;
}

/** The token endpoint authentication an upstream's configuration asks for (validated at start). */
export function upstreamAuth(upstream: UpstreamConfig, index: number): UpstreamAuth {
  const method = upstream.token_endpoint_auth_method;
  if (method !== 'private_key_jwt') return { method, secret: upstream.client_secret ?? '' };
  const result = readUpstreamKey(upstream);
  if ('problem' in result) throw new ConfigError(`invalid configuration:\n  upstreams[${index}].${result.field}: ${result.problem}`);
  return { method, key: result.key };
}

type UpstreamFetch = typeof upstreamFetch;

/**
 * One connector per configured upstream; adding an upstream is configuration only. `observe` hears of
 * every upstream call (the metrics); `track` wraps each upstream's HTTP client (e.g. to note which
 * upstreams stopped answering).
 */
export function createConnectors(config: Config, log: Logger, observe?: UpstreamCallObserver, track?: (upstream: string, send: UpstreamFetch) => UpstreamFetch): Map<string, Connector> {
  return new Map(
    config.upstreams.map((u, i): [string, Connector] => {
      const profile = resolveProfile(u);
      const dialect = getDialect(profile.dialect);
      const send = track ? track(u.id, upstreamFetch) : upstreamFetch;
      const connector = new OidcConnector({
        id: u.id,
        displayName: u.display_name,
        issuer: upstreamIssuer(config, u),
        clientId: u.client_id,
        auth: upstreamAuth(u, i),
        profile,
        // A MitID broker delivers a CPR number unless configured otherwise; another upstream only when configured to.
        providesCpr: u.provides_cpr ?? profile.dialect === 'mitid',
        callbackUrl: `${config.server.base_url}/callback/${u.id}`,
        dialect,
        errorAliases: resolveAliases(dialect, u.error_aliases).aliases,
        timeoutMs: config.timeouts.upstream_http_ms,
        log,
        fetch: observe ? observedFetch(u.id, send, observe) : send,
      });
      return [u.id, connector];
    }),
  );
}
