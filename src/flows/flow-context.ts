import type { ServerResponse } from 'node:http';
import type { Response } from 'express';
import type Provider from 'oidc-provider';
import type { AccountRepository } from '../accounts/accounts.ts';
import type { InvitationRepository } from '../accounts/invitations.ts';
import type { Clock } from '../clock.ts';
import { clientBrand, lookup, type Config } from '../config/model.ts';
import { BrokerError } from '../errors/broker-error.ts';
import type { ErrorResponder, FailureContext } from '../outcomes/error-page.ts';
import type { PageRenderer } from '../http/page.ts';
import type { PageTokens } from '../http/page-token.ts';
import type { OutcomeJournal, Where } from '../outcomes/journal.ts';
import type { Preflight } from '../ops/preflight.ts';
import type { UpstreamHealth } from '../ops/upstream-health.ts';
import type { EphemeralStore } from '../store/ephemeral/ephemeral-store.ts';
import type { Connector } from '../upstream/connector.ts';
import type { Flow, FlowStore } from './flow-state.ts';
import { carried } from './steps.ts';
import type { ReleasedLogin } from './release.ts';
import type { InteractionError } from './upstream-cancel.ts';

/**
 * Everything a flow step needs; built once in app.ts. A step records nothing itself: it returns its
 * outcome, which the journal records (outcomes/journal.ts).
 */
export interface FlowDeps {
  config: Config;
  provider: Provider;
  connectors: ReadonlyMap<string, Connector>;
  accounts: AccountRepository;
  invitations: InvitationRepository;
  flows: FlowStore;
  journal: OutcomeJournal;
  pages: PageRenderer;
  tokens: PageTokens;
  fail: ErrorResponder;
  /** Times each request of a flow route (a metric). */
  timeRoute: (route: string, res: ServerResponse) => void;
  /** Counters of the first-time login form's tries, per address and per username. */
  attempts: Pick<EphemeralStore, 'increment'>;
  /** Database and upstream checks made before a user is sent upstream. */
  preflight: Preflight;
  /** Step deadlines and the link verification's age are measured on this clock (tests move it). */
  clock: Clock;
  /** Which login methods the chooser marks as disturbed. */
  health: Pick<UpstreamHealth, 'status'>;
}

export function clientOf(deps: Pick<FlowDeps, 'config'>, clientId: string | undefined) {
  return lookup(deps.config.clients, clientId);
}

export function brandOf(deps: Pick<FlowDeps, 'config'>, clientId: string | undefined) {
  return clientBrand(clientOf(deps, clientId));
}

/** The failure context of a flow: its client's branding and language, and the flow to retry or leave. */
export function flowFailure(deps: FlowDeps, flow: Flow, route: string): FailureContext {
  return { ...flowWhere(flow, route), brand: brandOf(deps, flow.clientId), uiLocales: flow.uiLocales, flowUid: flow.uid };
}

/** Where a flow's outcome happened, for the journal: its system, tenant, and the method and account its step carries. */
export function flowWhere(flow: Flow, route: string): Where {
  return { route, clientId: flow.clientId, tenant: flow.tenant, method: carried(flow, 'method'), accountId: carried(flow, 'account') };
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
