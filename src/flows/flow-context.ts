import type { Response } from 'express';
import type Provider from 'oidc-provider';
import type { AccountRepository } from '../accounts/accounts.ts';
import type { AuditLog } from '../accounts/audit.ts';
import type { InvitationRepository } from '../accounts/invitations.ts';
import type { Config } from '../config/schema.ts';
import { BrokerError } from '../errors/broker-error.ts';
import type { ErrorResponder, FailureContext } from '../http/error-page.ts';
import type { PageRenderer } from '../http/page.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { Preflight } from '../ops/preflight.ts';
import type { EphemeralStore } from '../store/ephemeral/ephemeral-store.ts';
import type { Connector } from '../upstream/connector.ts';
import type { Flow, FlowStore } from './flow-state.ts';

/** Everything a flow step needs; built once in app.ts. */
export interface FlowDeps {
  config: Config;
  provider: Provider;
  connectors: ReadonlyMap<string, Connector>;
  accounts: AccountRepository;
  invitations: InvitationRepository;
  audit: AuditLog;
  store: EphemeralStore;
  flows: FlowStore;
  pages: PageRenderer;
  fail: ErrorResponder;
  log: Logger;
  metrics: Metrics;
  /** Database and upstream checks made before a user is sent upstream. */
  preflight: Preflight;
}

export function brandOf(deps: FlowDeps, clientId: string | undefined) {
  const client = deps.config.clients.find((c) => c.client_id === clientId);
  return client ? { name: client.display_name, color: client.primary_color, logo: client.logo_url } : undefined;
}

/** The failure context of a flow: its client's branding, a way to retry and a way back to the system. */
export function flowFailure(deps: FlowDeps, flow: Flow, event: string, csrf: string): FailureContext {
  const brand = brandOf(deps, flow.clientId);
  return {
    event,
    clientId: flow.clientId,
    tenant: flow.tenant,
    method: flow.method,
    accountId: flow.accountId,
    brand,
    uiLocales: flow.uiLocales,
    retryUrl: `/interaction/${flow.uid}`,
    back: brand ? { action: `/interaction/${flow.uid}/abort`, csrf, system: brand.name } : undefined,
  };
}

const epoch = () => Math.floor(Date.now() / 1000);

/**
 * Ends the interaction with a result and sends the browser back into oidc-provider. Works from the
 * upstream callback too, where the interaction cookie (scoped to /interaction) is not sent.
 */
export async function finishInteraction(deps: FlowDeps, res: Response, uid: string, result: Record<string, unknown>): Promise<void> {
  const interaction = await deps.provider.Interaction.find(uid);
  if (!interaction) throw new BrokerError(3002, { detail: 'interaction gone before finish' });
  interaction.result = result;
  await interaction.save(Math.max(1, interaction.exp - epoch()));
  await deps.flows.delete(uid);
  res.redirect(303, interaction.returnTo);
}
