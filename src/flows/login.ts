import type { Request, Response } from 'express';
import type { Account } from '../accounts/accounts.ts';
import { accountForIdentity } from '../accounts/identity-operations.ts';
import { cprFingerprint } from '../accounts/cpr.ts';
import { nsisUri } from '../assurance.ts';
import { BrokerError } from '../errors/broker-error.ts';
import { OWN_ADVICE } from '../errors/own-guidance.ts';
import { newReference } from '../errors/reference.ts';
import type { UpstreamIdentity } from '../upstream/connector.ts';
import { resolveProfile } from '../upstream/profiles/index.ts';
import { clientOf, finishInteraction, type FlowDeps } from './flow-context.ts';
import type { Outcome } from './flow-kit.ts';
import type { Flow, StoredIdentity } from './flow-state.ts';

/** What a flow may keep of an upstream identity: the CPR number only as its keyed fingerprint. */
export function storableIdentity(deps: FlowDeps, identity: UpstreamIdentity): StoredIdentity {
  const { cpr, ...rest } = identity;
  return { ...rest, cprFingerprint: cpr ? cprFingerprint(deps.config.secrets, cpr) : undefined };
}

/** What the RP's ID token says of how the user logged in: the method and the upstream's authenticators; the NSIS level URI. */
function loginResult(identity: Pick<StoredIdentity, 'method' | 'level' | 'amr'>) {
  return {
    amr: [...new Set([identity.method, ...(identity.amr ?? [])])],
    ...(identity.level ? { acr: nsisUri(identity.level) } : {}),
  };
}

/**
 * Completes a login for an account: the audit event now; once the flow is stored as done, the code
 * to the RP. The login lives only in oidc-provider's session, which Portvagt ends with the code
 * (provider.ts); Portvagt's own cookies carry no identity, so there is no session id to renew.
 */
export async function completeLogin(deps: FlowDeps, res: Response, flow: Flow, accountId: string, identity: Pick<StoredIdentity, 'method' | 'level' | 'amr'>, event: string): Promise<Outcome> {
  await deps.audit.record({ reference: newReference(), event, outcome: 'success', tenant: flow.tenant, clientId: flow.clientId, method: identity.method, accountId });
  return {
    next: { step: 'done' },
    respond: async () => {
      await finishInteraction(deps, res, flow.uid, {
        login: { accountId, ...loginResult(identity), remember: false },
      });
      deps.metrics.login({ flow: event, clientId: flow.clientId, method: identity.method });
    },
  };
}

/** Whether this login must pass a CPR match: the tenant or client asks for it and the method is MitID-like. */
export function needsCprMatch(deps: FlowDeps, flow: Flow, method: string): boolean {
  const tenant = deps.config.tenants.find((t) => t.id === flow.tenant);
  const upstream = deps.config.upstreams.find((u) => u.id === method);
  return !!(tenant?.require_cpr_match || clientOf(deps, flow.clientId)?.require_cpr_match) && !!upstream && resolveProfile(upstream).dialect === 'mitid';
}

/** Logs the account in, or first sends the user through the CPR match when one is required. */
export async function loginOrCprMatch(deps: FlowDeps, res: Response, flow: Flow, account: Account, identity: UpstreamIdentity, event: string): Promise<Outcome> {
  if (!needsCprMatch(deps, flow, identity.method)) return completeLogin(deps, res, flow, account.id, identity, event);
  if (!identity.cpr && !account.cpr_fingerprint) {
    // Nothing to match against: most likely the upstream's CPR claim name is wrong or its scope is missing.
    const claim = deps.connectors.get(identity.method)?.claimNames('cpr').join(' | ') || '(none configured)';
    deps.log.error({ upstream: identity.method, claim: 'cpr', claimNames: claim }, 'upstream delivered no CPR number, which the CPR match needs');
    throw new BrokerError(3005, { advice: OWN_ADVICE.cprMissing, detail: `${identity.method}: no CPR claim (${claim}) for a CPR match` });
  }
  return {
    next: { step: 'cpr', accountId: account.id, identity: storableIdentity(deps, identity), attempts: 0 },
    respond: () => res.redirect(303, `/interaction/${flow.uid}/cpr`),
  };
}

export function onLoginIdentity(deps: FlowDeps) {
  return async (_req: Request, res: Response, flow: Flow, identity: UpstreamIdentity): Promise<Outcome> => {
    const account = await accountForIdentity(deps.accounts, flow.tenant, identity);
    return loginOrCprMatch(deps, res, flow, account, identity, 'login');
  };
}
