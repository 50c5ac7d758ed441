import type { Request } from 'express';
import { isLinked, type Account } from '../accounts/accounts.ts';
import type { NsisLevel } from '../assurance.ts';
import { destroySession, liveRecord, regenerateSession, saveSession, type SessionLogin, type SsoRecord } from '../sessions/broker-session.ts';
import type { FlowDeps } from './flow-context.ts';
import type { StoredIdentity } from './flow-state.ts';
import { askGate, releasedLogin, type LoginDetails, type LoginRequest } from './release.ts';
import type { Decision } from './release-gate.ts';
import { resolveRequest } from './request-policy.ts';
import { requestedAuthentication } from './requested-authentication.ts';

/** What single sign-on needs: the gate's inputs, the accounts, and the journal for a release without a flow. */
export type SessionDeps = Pick<FlowDeps, 'config' | 'accounts' | 'connectors' | 'clock' | 'journal'>;

/**
 * Single sign-on (docs/flows.md, "Single sign-on"): a login request in a browser whose broker session
 * holds a login the release rules allow for this system is released from the session, without the
 * chooser or an upstream login. The session is only ever one tenant's; a login request of another
 * tenant, a first-time login or a link flow logs in upstream as without a session.
 */

/** What the session can do for a login request: release one of its logins, or say which level it lacks. */
export type SessionAnswer = { kind: 'release'; account: Account; identity: StoredIdentity; decision: Extract<Decision, { kind: 'release' }> } | { kind: 'step-up'; required: NsisLevel; reached?: NsisLevel | undefined };

const identityOf = (login: SessionLogin): StoredIdentity => ({ ...login });

/**
 * The session's answer for a flow at its start. The account and its links are read afresh: a disabled
 * account, or a link of the session removed since, ends the session at once, on every instance.
 * `method`: the login method the system asked for, where it named one.
 */
export async function fromSession(deps: SessionDeps, req: Request, flow: LoginRequest, method: string | undefined): Promise<SessionAnswer | undefined> {
  const record = liveRecord(req, deps.clock());
  if (!record || flow.action !== 'login' || record.tenant !== flow.tenant || flow.requested.freshLogin) return undefined;
  if (!deps.config.tenants.get(flow.tenant)?.sso.enabled) return undefined;
  const account = await deps.accounts.find(record.accountId);
  const links = account?.status === 'active' ? await deps.accounts.links(account.id) : [];
  if (!account || !record.logins.every((login) => isLinked(links, login))) {
    await destroySession(req);
    return undefined;
  }
  let stepUp: SessionAnswer | undefined;
  for (const login of record.logins.filter((l) => method === undefined || l.method === method)) {
    const identity = identityOf(login);
    const decision = askGate(deps, flow, account, identity);
    if (decision.kind === 'release') return { kind: 'release', account, identity, decision };
    if (decision.kind === 'refuse' && decision.rule === 'level' && decision.required) stepUp ??= { kind: 'step-up', required: decision.required, reached: decision.reached };
  }
  return stepUp;
}

/** A few words on the browser for the lists of sessions: its product and platform, never the whole header. */
function browserSummary(userAgent: string | undefined): string {
  const product = /(Edg|Firefox|Chrome|Safari|curl)\/[\d.]+/.exec(userAgent ?? '')?.[0]?.replace(/\/(\d+).*/, ' $1') ?? 'browser';
  const platform = /(Windows|Android|iPhone|iPad|Mac OS X|Linux)/.exec(userAgent ?? '')?.[1] ?? '';
  return [product.replace('Edg', 'Edge'), platform].filter(Boolean).join(', ').slice(0, 60);
}

/**
 * Puts a released login into the broker session. An upstream login gets a new session id (so an id
 * planted before it gains nothing) and joins a session of the same account and tenant, or starts a
 * new one; a release from the session only marks it used. A tenant with single sign-on switched off
 * keeps no session, except for the account page, which is its session (no system is released from
 * it there: `fromSession` asks the tenant first).
 */
export async function rememberRelease(deps: Pick<FlowDeps, 'config' | 'clock' | 'journal'>, req: Request, flow: Pick<LoginRequest, 'clientId' | 'tenant'>, accountId: string, identity: StoredIdentity, via: 'upstream' | 'session'): Promise<void> {
  const tenant = deps.config.tenants.get(flow.tenant);
  if (!tenant || !(tenant.sso.enabled || deps.config.clients.get(flow.clientId)?.own)) {
    // Nothing is kept for this login; a session of another account in this browser (its account page) ends with it.
    const held = req.session?.sso;
    if (held && held.accountId !== accountId) await destroySession(req);
    return;
  }
  const now = deps.clock();
  const current = liveRecord(req, now);
  const same = current && current.accountId === accountId && current.tenant === flow.tenant ? current : undefined;
  const { method, issuer, subject, level, authTime, amr, cprFingerprint, cprConfirmation } = identity;
  const login: SessionLogin = { method, issuer, subject, level, authTime, amr, cprFingerprint, cprConfirmation };
  const startedAt = same?.startedAt ?? now;
  const record: SsoRecord = {
    accountId,
    tenant: flow.tenant,
    startedAt,
    usedAt: now,
    expiresAt: Math.min(now + tenant.sso.idleMs, startedAt + tenant.sso.maxMs),
    logins: via === 'session' && same ? same.logins : [login, ...(same?.logins ?? []).filter((l) => l.method !== method)],
    clients: [...new Set([...(same?.clients ?? []), flow.clientId])],
    providerSession: same?.providerSession,
    browser: browserSummary(req.headers['user-agent']),
  };
  // A new upstream login gets a new session id; a release from the session keeps its id (its identity is the same).
  if (via === 'upstream') await regenerateSession(req);
  req.session.sso = record;
  // The flow's redirect leads to oidc-provider's resume, which notes its own session in this record:
  // stored first, since a browser follows the redirect before express-session's own save has ended.
  if (via === 'upstream') await saveSession(req);
  if (!same) await deps.journal.record({ kind: 'session-started', method, accountId }, { route: 'release', clientId: flow.clientId, tenant: flow.tenant });
}

/** How a release at the authorization endpoint ends: the login released from the session, or the error a `prompt=none` request gets. */
export type SilentAnswer = { released: LoginDetails } | 'login_required' | 'interaction_required';

/**
 * Single sign-on at the authorization endpoint itself: a request the broker session can release (for
 * the account oidc-provider's session has) is released there, with no page and no interaction; any
 * other goes to the flow, or, for `prompt=none` (docs/flows.md, "What a system may ask for"), ends
 * with `login_required` without a session and `interaction_required` where a login is needed that
 * the session cannot give (a higher level, a request Portvagt's flow would refuse).
 */
export function silentRelease(deps: SessionDeps) {
  return async (req: Request, clientId: string, params: Record<string, unknown>, providerAccountId: string | undefined): Promise<SilentAnswer> => {
    let resolved: ReturnType<typeof resolveRequest>;
    try {
      resolved = resolveRequest(deps.config, clientId, params);
    } catch {
      return 'interaction_required';
    }
    const request: LoginRequest = { clientId, tenant: resolved.tenant, action: resolved.action, requested: requestedAuthentication(params, deps.clock()) };
    const answer = await fromSession(deps, req, request, resolved.method);
    if (answer?.kind === 'step-up') return 'interaction_required';
    if (!answer || answer.account.id !== providerAccountId) return 'login_required';
    await deps.journal.record({ kind: 'sso-released', method: answer.identity.method, accountId: answer.account.id, level: answer.decision.acr }, { route: 'authorize', clientId, tenant: request.tenant });
    await rememberRelease(deps, req, request, answer.account.id, answer.identity, 'session');
    return { released: releasedLogin(answer.account.id, answer.identity, answer.decision) };
  };
}
