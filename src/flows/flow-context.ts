import type { Response } from 'express';
import type Provider from 'oidc-provider';
import type { AccountRepository } from '../accounts/accounts.ts';
import type { AuditLog } from '../accounts/audit.ts';
import type { InvitationRepository } from '../accounts/invitations.ts';
import type { Clock } from '../clock.ts';
import { lookup, type Config } from '../config/model.ts';
import { BrokerError } from '../errors/broker-error.ts';
import type { ErrorResponder, FailureContext } from '../http/error-page.ts';
import type { PageRenderer } from '../http/page.ts';
import type { PageTokens } from '../http/page-token.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { Preflight } from '../ops/preflight.ts';
import type { UpstreamHealth } from '../ops/upstream-health.ts';
import type { EphemeralStore } from '../store/ephemeral/ephemeral-store.ts';
import type { Connector } from '../upstream/connector.ts';
import type { Flow, FlowStore } from './flow-state.ts';
import type { ReleasedLogin } from './release.ts';
import type { InteractionError } from './upstream-cancel.ts';

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
  tokens: PageTokens;
  fail: ErrorResponder;
  log: Logger;
  metrics: Metrics;
  /** Database and upstream checks made before a user is sent upstream. */
  preflight: Preflight;
  /** Step deadlines and the link verification's age are measured on this clock (tests move it). */
  clock: Clock;
  /** Which login methods the chooser marks as disturbed. */
  health: Pick<UpstreamHealth, 'status'>;
}

export function clientOf(deps: FlowDeps, clientId: string | undefined) {
  return lookup(deps.config.clients, clientId);
}

export function brandOf(deps: FlowDeps, clientId: string | undefined) {
  const client = clientOf(deps, clientId);
  return client ? { name: client.displayName, color: client.primaryColor, logo: client.logoUrl } : undefined;
}

/** The failure context of a flow: its client's branding and language, and the flow to retry or leave. */
export function flowFailure(deps: FlowDeps, flow: Flow, event: string): FailureContext {
  const method = flow.step === 'upstream' ? flow.method : flow.step === 'first-login-form' || flow.step === 'cpr' ? flow.identity.method : undefined;
  const accountId = flow.step === 'cpr' ? flow.accountId : flow.step === 'link-page' ? flow.verified.accountId : undefined;
  return { event, clientId: flow.clientId, tenant: flow.tenant, method, accountId, brand: brandOf(deps, flow.clientId), uiLocales: flow.uiLocales, flowUid: flow.uid };
}

const epoch = () => Math.floor(Date.now() / 1000);

/**
 * Ends the interaction and sends the browser back into oidc-provider: with an error for the system,
 * or with a login only the release rules can have made (release.ts). Works from the upstream callback
 * too, where the interaction cookie (scoped to /interaction) is not sent.
 */
export async function finishInteraction(deps: FlowDeps, res: Response, uid: string, result: ReleasedLogin | InteractionError): Promise<void> {
  const interaction = await deps.provider.Interaction.find(uid);
  if (!interaction) throw new BrokerError(3002, { detail: 'interaction gone before finish' });
  interaction.result = result;
  await interaction.save(Math.max(1, interaction.exp - epoch()));
  res.redirect(303, interaction.returnTo);
}
