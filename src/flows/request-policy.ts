import { strictest } from '../assurance.ts';
import type { Client, Config, LoginMethod } from '../config/model.ts';
import { BrokerError } from '../errors/broker-error.ts';
import type { UpstreamRequest } from '../upstream/connector.ts';
import { ACTIONS, type Action } from '../actions.ts';
import type { Flow } from './flow-state.ts';

export interface ResolvedRequest {
  client: Client;
  tenant: string;
  action: Action;
  method: string | undefined;
}

const param = (params: Record<string, unknown>, key: string): string | undefined => {
  const value = params[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/**
 * Checks Portvagt's own authorize parameters once oidc-provider has vouched for client and redirect
 * URI, so every failure here can be a page with a way back to the system.
 */
export function resolveRequest(config: Config, clientId: string, params: Record<string, unknown>): ResolvedRequest {
  const client = config.clients.get(clientId);
  if (!client || !client.enabled) throw new BrokerError(7001, { detail: `client ${clientId} not enabled` });

  const requestedTenant = param(params, 'tenant');
  const tenant = requestedTenant ?? (client.tenants.length === 1 ? client.tenants[0] : undefined);
  if (!tenant) throw new BrokerError(3008, { detail: 'tenant missing for a client with several tenants' });
  if (!client.tenants.includes(tenant)) throw new BrokerError(3008, { detail: 'tenant not allowed for client' });

  const action = param(params, 'action') ?? 'login';
  if (!(ACTIONS as readonly string[]).includes(action)) throw new BrokerError(5003, { detail: 'unknown action' });
  if (!client.actions.includes(action as Action)) throw new BrokerError(5003, { detail: 'action not allowed for client' });

  const method = param(params, 'login_method');
  if (method !== undefined) assertMethodAllowed(config, client, method);
  return { client, tenant, action: action as Action, method };
}

/** A method must exist and be allowed for the client at every entry point, not only on the chooser. */
export function assertMethodAllowed(config: Config, client: Client, method: string): LoginMethod {
  const configured = config.methods.get(method);
  if (!configured || !client.loginMethods.includes(method)) throw new BrokerError(5004, { detail: 'login method unknown or not allowed' });
  return configured;
}

/**
 * What the upstream login of a flow asks for: the page's language, the RP's hint, the strictest of
 * the client's, tenant's and request's level, and the request's `prompt=login` and `max_age`.
 */
export function upstreamRequest(config: Config, flow: Flow, locale: string, state: string): UpstreamRequest {
  const client = config.clients.get(flow.clientId);
  const tenant = config.tenants.get(flow.tenant);
  return {
    state,
    locale,
    loginHint: flow.loginHint,
    minLevel: strictest(client?.minAssurance ?? 'low', tenant?.minAssurance ?? 'low', flow.requested.level ?? 'low'),
    reauthenticate: { prompt: flow.requested.freshLogin, maxAge: flow.requested.maxAge },
  };
}
