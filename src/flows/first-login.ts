import express, { type Request, type Response, type Router } from 'express';
import { BrokerError } from '../errors/broker-error.ts';
import { newReference } from '../errors/reference.ts';
import type { UpstreamIdentity } from '../upstream/connector.ts';
import type { FlowDeps } from './flow-context.ts';
import { single, type FlowKit } from './flow-kit.ts';
import type { Flow } from './flow-state.ts';
import { completeLogin, storableIdentity } from './login.ts';

const RATE_WINDOW_SECONDS = 15 * 60;
const MAX_PER_IP = 30;
const MAX_PER_USERNAME = 10;

/**
 * First-time login (Førstegangslogin): upstream login first, then the username and one-time password
 * from the invitation e-mail. The upstream identity waits in the flow on the server until then.
 */
export function onFirstLoginIdentity(deps: FlowDeps, kit: FlowKit) {
  return async (_req: Request, res: Response, flow: Flow, identity: UpstreamIdentity): Promise<void> => {
    if (await deps.accounts.findByIdentity(identity.issuer, identity.subject)) {
      throw new BrokerError(6002, { detail: 'first-time login with an identity that is already linked' });
    }
    flow.identity = storableIdentity(deps, identity);
    await kit.moveTo(flow, 'first-login-form', kit.timeouts.first_login);
    res.redirect(303, `/interaction/${flow.uid}/first-login`);
  };
}

export function firstLoginRoutes(deps: FlowDeps, kit: FlowKit): Router {
  const router = express.Router();

  function renderForm(req: Request, res: Response, flow: Flow, username = '', failed = false): void {
    kit.render(req, res, flow, 'first-login', 'ui.firstLogin.title', { action: `/interaction/${flow.uid}/first-login`, username, failed }, failed ? { status: 401, errorCode: 5007 } : {});
  }

  router.get(
    '/interaction/:uid/first-login',
    kit.flowStep('first-login', ['first-login-form'], 6000, async (req, res, flow) => renderForm(req, res, flow)),
  );

  router.post(
    '/interaction/:uid/first-login',
    kit.form,
    kit.flowStep('first-login', ['first-login-form'], 6000, async (req, res, flow) => {
      const identity = flow.identity;
      if (!identity) throw new BrokerError(6000, { detail: 'no upstream identity in flow' });
      const username = (single(req.body?.username) ?? '').trim().slice(0, 200);
      const password = (single(req.body?.password) ?? '').trim().slice(0, 200);

      // Same answer for every failure: unknown user, wrong or used password, expiry, rate limit.
      const refuse = async (reason: string) => {
        await deps.audit.record({ reference: newReference(), event: 'first-login', outcome: 'failure', code: 5007, tenant: flow.tenant, clientId: flow.clientId, method: identity.method, detail: reason });
        deps.log.warn({ event: 'first-login', code: 5007, reason, tenant: flow.tenant }, 'first-time login refused');
        renderForm(req, res, flow, username, true);
      };
      const ipCount = await deps.store.increment(`rl:first-login:ip:${req.ip}`, RATE_WINDOW_SECONDS);
      const userCount = await deps.store.increment(`rl:first-login:user:${flow.tenant}:${username.toLowerCase()}`, RATE_WINDOW_SECONDS);
      if (ipCount > MAX_PER_IP || userCount > MAX_PER_USERNAME) return refuse('rate limit');

      const account = username ? await deps.accounts.findByUsername(flow.tenant, username) : undefined;
      const outcome = await deps.invitations.check(account?.status === 'active' ? account.id : undefined, password);
      if (!outcome.ok) return refuse(outcome.reason);

      // Consuming the invitation and linking the identity stand or fall together.
      await deps.accounts.transaction(async (trx) => {
        if (!(await deps.invitations.consume(outcome.invitationId, trx))) throw new BrokerError(5007, { detail: 'invitation used by a concurrent flow' });
        const linked = await deps.accounts.link(outcome.accountId, identity, trx);
        if (linked !== 'linked') throw new BrokerError(6002, { detail: `first-time login: ${linked}` });
      });
      flow.accountId = outcome.accountId;
      await completeLogin(deps, req, res, flow, outcome.accountId, identity, 'first-login');
    }),
  );

  return router;
}
