import express, { type Request, type Response, type Router } from 'express';
import { assertIdentityUnlinked, checkInvitation, redeemInvitation } from '../accounts/identity-operations.ts';
import { BrokerError } from '../errors/broker-error.ts';
import { OWN_ADVICE } from '../errors/own-guidance.ts';
import { storableText } from '../store/storable-text.ts';
import type { UpstreamIdentity } from '../upstream/connector.ts';
import type { FlowDeps } from './flow-context.ts';
import { flowRoute, flowUrl } from '../http/flow-url.ts';
import { single, type FlowKit, type StepResult } from './flow-kit.ts';
import type { Flow, StoredIdentity } from './flow-state.ts';
import type { Account } from '../accounts/accounts.ts';
import { storableIdentity } from './login.ts';
import { releaseLogin } from './release.ts';
import { inStep } from './transitions.ts';

const RATE_WINDOW_SECONDS = 15 * 60;
const MAX_PER_IP = 30;
const MAX_PER_USERNAME = 10;

/**
 * First-time login (Førstegangslogin): upstream login first, then the username and one-time password
 * from the invitation e-mail. The upstream identity waits in the flow on the server until then.
 */
export function onFirstLoginIdentity(deps: FlowDeps) {
  return async (_req: Request, res: Response, flow: Flow, identity: UpstreamIdentity): Promise<StepResult> => {
    await assertIdentityUnlinked(deps.accounts, identity);
    return { next: { step: 'first-login-form', identity: storableIdentity(deps, identity) }, respond: () => res.redirect(303, flowUrl(flow.uid, 'first-login')) };
  };
}

/** Releases a first-time login: the invitation is redeemed and the identity linked only if the gate allows it. */
export function releaseFirstLogin(deps: FlowDeps, res: Response, flow: Flow, account: Account, identity: StoredIdentity, invitationId: string): Promise<StepResult> {
  return releaseLogin(deps, res, flow, account, identity, {
    beforeRelease: () => redeemInvitation(deps, invitationId, account.id, identity),
    cprCarry: { invitationId },
  });
}

export function firstLoginRoutes(deps: FlowDeps, kit: FlowKit): Router {
  const router = express.Router();

  function renderForm(req: Request, res: Response, flow: Flow, username = '', failed = false): void {
    const path = flowUrl(flow.uid, 'first-login');
    kit.render(req, res, flow, 'first-login', 'ui.firstLogin.title', { action: path, username, failed }, failed ? { status: 401, errorCode: 5007, switchPath: path } : {});
  }

  router.get(
    flowRoute('first-login'),
    kit.route('first-login', 'show-first-login', async (req, res, flow) => ({ respond: () => renderForm(req, res, flow) })),
  );

  router.post(
    flowRoute('first-login'),
    kit.form,
    kit.route('first-login', 'submit-first-login', async (req, res, loaded) => {
      const flow = inStep(loaded, 'first-login-form');
      const username = (single(req.body?.username) ?? '').trim();
      const password = (single(req.body?.password) ?? '').trim();

      // Same answer for every failure: unknown user, wrong or used password, expiry, rate limit.
      const refuse = (reason: string): StepResult => ({
        outcome: { kind: 'refused', code: 5007, method: flow.identity.method, reason },
        respond: () => renderForm(req, res, flow, username, true),
      });
      if (!storableText(username, 200) || !storableText(password, 200)) return refuse('unstorable input');
      const ipCount = await deps.attempts.increment(`rl:first-login:ip:${req.ip}`, RATE_WINDOW_SECONDS);
      const userCount = await deps.attempts.increment(`rl:first-login:user:${flow.tenant}:${username.toLowerCase()}`, RATE_WINDOW_SECONDS);
      if (ipCount > MAX_PER_IP || userCount > MAX_PER_USERNAME) return refuse('rate limit');

      const checked = await checkInvitation(deps, { tenant: flow.tenant, username, password });
      // The right password for an invitation that can no longer be used: its holder is told which, and whom to ask.
      if (!checked.ok && checked.proven && (checked.reason === 'expired' || checked.reason === 'void')) {
        throw new BrokerError(5007, { variant: checked.reason === 'expired' ? 'invitation-expired' : 'invitation-locked', advice: OWN_ADVICE.invitationDeadEnd, detail: `invitation ${checked.reason}` });
      }
      if (!checked.ok) return refuse(checked.reason);
      // The release rules first (the CPR form, where they need it): a refused login links nothing.
      return releaseFirstLogin(deps, res, flow, checked.account, flow.identity, checked.invitationId);
    }),
  );

  return router;
}
