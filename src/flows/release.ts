import type { Response } from 'express';
import type { Account } from '../accounts/accounts.ts';
import { nsisUri } from '../assurance.ts';
import { BrokerError } from '../errors/broker-error.ts';
import { OWN_ADVICE } from '../errors/own-guidance.ts';
import { clientOf, finishInteraction, type FlowDeps } from './flow-context.ts';
import { flowUrl } from '../http/flow-url.ts';
import type { StepResult } from './flow-kit.ts';
import type { Flow, StoredIdentity, Verification } from './flow-state.ts';
import { decideRelease, RELEASE_RULES, type Decision, type ReleaseRuleEntry } from './release-gate.ts';
import { rememberRelease } from './single-sign-on.ts';

/**
 * The release rules applied to a flow: the gate's inputs gathered from the configuration and the
 * flow, and its answer turned into the next step. `releaseLogin` is the only way a flow hands
 * oidc-provider a login.
 */

/** Until when a link flow's verification login may be used: for adding a method and for the finish alike. */
export function verificationValidUntil(deps: Pick<FlowDeps, 'config'>, verification: Verification): number {
  return verification.at + deps.config.timeouts.link_verification * 1000;
}

/** What the CPR form carries on for the step after it: a first-time login's invitation, a link flow's verification time. */
type CprCarry = { invitationId?: string; verifiedAt?: number };

/** What the gate is asked for: a flow's system, tenant, action and request (or those of a request without a flow, `prompt=none`). */
export type LoginRequest = Pick<Flow, 'clientId' | 'tenant' | 'action' | 'requested'>;

/** Asks the gate about this account and login for the request's client, tenant and request. */
export function askGate(deps: Pick<FlowDeps, 'config' | 'connectors' | 'clock'>, flow: LoginRequest, account: Account, login: StoredIdentity, verification?: Verification): Decision {
  const client = clientOf(deps, flow.clientId);
  const tenant = deps.config.tenants.get(flow.tenant);
  if (!client || !tenant) throw new BrokerError(7001, { detail: `client ${flow.clientId} or tenant ${flow.tenant} gone from the configuration` });
  return decideRelease({
    account: { enabled: account.status === 'active', tenant: account.tenant, cprFingerprint: account.cpr_fingerprint },
    login,
    client: { tenants: client.tenants, loginMethods: client.loginMethods, minLevel: client.minAssurance, requireCprMatch: client.requireCprMatch },
    tenant: { id: tenant.id, minLevel: tenant.minAssurance, requireCprMatch: tenant.requireCprMatch },
    request: flow.requested,
    linkVerification: verification ? { validUntil: verificationValidUntil(deps, verification) } : undefined,
    methodProvidesCpr: deps.connectors.get(login.method)?.providesCpr ?? false,
    now: deps.clock(),
  });
}

/** A refusal as the page the user sees: the rule's code and wording, the levels for a level refusal. */
function refusal(deps: FlowDeps, decision: Extract<Decision, { kind: 'refuse' }>, account: Account, login: StoredIdentity): BrokerError {
  const rule: ReleaseRuleEntry = RELEASE_RULES[decision.rule];
  // Most likely the upstream's CPR claim name is wrong or its scope is missing: the log line names them for the operator.
  const logFields = decision.rule === 'cpr-delivered' ? { upstream: login.method, claim: 'cpr', claimNames: deps.connectors.get(login.method)?.claimNames('cpr').join(' | ') || '(none configured)' } : undefined;
  const level = decision.rule === 'level' ? { required: decision.required ?? 'low', reached: decision.reached } : undefined;
  // How to reach the level (never needed for Low); what only the operator can fix for a missing CPR.
  const advice = level && level.required !== 'low' ? OWN_ADVICE.levelTooLow[level.required] : decision.rule === 'cpr-delivered' ? OWN_ADVICE.cprMissing : undefined;
  return new BrokerError(rule.code, { variant: rule.variant, advice, levels: level, logFields, accountId: account.id, detail: `release refused (${decision.rule}): ${decision.detail}` });
}

/**
 * Asks the gate, and answers what it does not release: a refusal is thrown as its rule's page, a login
 * that needs the typed CPR goes to the CPR form. Only a release comes back for the caller to act on.
 */
export function passGate(deps: FlowDeps, res: Response, flow: Flow, account: Account, identity: StoredIdentity, options: { verification?: Verification; cprCarry?: CprCarry } = {}): Extract<Decision, { kind: 'release' }> | { kind: 'answered'; result: StepResult } {
  const decision = askGate(deps, flow, account, identity, options.verification);
  if (decision.kind === 'refuse') throw refusal(deps, decision, account, identity);
  if (decision.kind === 'release') return decision;
  const result: StepResult = { next: { step: 'cpr', accountId: account.id, identity, attempts: 0, ...options.cprCarry }, respond: () => res.redirect(303, flowUrl(flow.uid, 'cpr')) };
  return { kind: 'answered', result };
}

/** What oidc-provider's interaction result holds for a login: only `releaseLogin` makes one. */
declare const released: unique symbol;
export type ReleasedLogin = { login: LoginDetails } & { readonly [released]: true };

/** How oidc-provider's session records a released login: account, level, authenticators, the upstream login's time. */
export type LoginDetails = {
  accountId: string;
  acr?: string;
  amr: string[];
  ts: number;
  remember: false;
};

/** The login the gate's release gives oidc-provider, with the upstream login's time as `auth_time`. */
export function releasedLogin(accountId: string, identity: StoredIdentity, decision: Extract<Decision, { kind: 'release' }>): LoginDetails {
  return {
    accountId,
    amr: [...new Set([identity.method, ...(identity.amr ?? [])])],
    ...(decision.acr ? { acr: nsisUri(decision.acr) } : {}),
    ts: Math.floor(decision.authTime / 1000),
    remember: false,
  };
}

/**
 * Releases a login the gate allows: `beforeRelease` (a first-time login's invitation and link), the
 * fingerprint the account keeps, the outcome (`logged-in`, or `sso-released` for a login of the
 * browser's session); once the flow is stored as done, the login goes into the broker session and
 * the code to the system, with the upstream login's time as `auth_time`. A login the gate does not
 * allow yet goes to the CPR form; one it refuses is its rule's page, and nothing was written.
 */
export async function releaseLogin(
  deps: FlowDeps,
  res: Response,
  flow: Flow,
  account: Account,
  identity: StoredIdentity,
  options: { verification?: Verification; beforeRelease?: () => Promise<void>; cprCarry?: CprCarry; fromSession?: true } = {},
): Promise<StepResult> {
  const decision = passGate(deps, res, flow, account, identity, options);
  if (decision.kind === 'answered') return decision.result;
  await options.beforeRelease?.();
  if (decision.storeCprFingerprint) await deps.accounts.setCprFingerprint(account.id, decision.storeCprFingerprint);
  const result = { login: releasedLogin(account.id, identity, decision) } as Omit<ReleasedLogin, typeof released> as ReleasedLogin;
  const level = decision.acr;
  const outcome = options.fromSession ? ({ kind: 'sso-released', method: identity.method, accountId: account.id, level } as const) : ({ kind: 'logged-in', action: flow.action, method: identity.method, accountId: account.id, level } as const);
  return {
    next: { step: 'done' },
    outcome,
    respond: async () => {
      await rememberRelease(deps, res.req, flow, account.id, identity, options.fromSession ? 'session' : 'upstream');
      await finishInteraction(deps, res, flow.uid, result);
    },
  };
}
