import express, { type Router } from 'express';
import { assertIdentityUnlinked } from '../accounts/identity-operations.ts';
import { BrokerError } from '../errors/broker-error.ts';
import { OWN_ADVICE } from '../errors/own-guidance.ts';
import { clientOf, type FlowDeps } from './flow-context.ts';
import { flowRoute, flowUrl } from '../http/flow-url.ts';
import type { FlowKit, StepResult } from './flow-kit.ts';
import type { Flow, StoredIdentity } from './flow-state.ts';

/**
 * A 6001 for an identity linked to no account, carrying that identity (as a flow may keep it), so the
 * failed flow can hand it to a first-time login instead of sending the user upstream again.
 */
export class UnlinkedIdentityError extends BrokerError {
  readonly identity: StoredIdentity;

  constructor(error: BrokerError, identity: StoredIdentity) {
    super(error.code, { advice: OWN_ADVICE.unlinked, detail: error.detail, cause: error });
    this.identity = identity;
  }
}

/** The identity of an upstream login that failed only because no account has it: kept, and how long. */
export function unlinkedOf(error: BrokerError, now: number, firstLoginSeconds: number) {
  return error instanceof UnlinkedIdentityError ? { identity: error.identity, until: now + firstLoginSeconds * 1000 } : undefined;
}

/**
 * The other action an error page offers where its text names it (error-content.ts decides the button):
 * "Start førstegangslogin" on a 6001, "Log ind" on a first-time login's 6002. The same interaction
 * goes on as that action, where the client allows it; nothing else about the flow changes.
 */
export function actionOfferRoutes(deps: FlowDeps, kit: FlowKit): Router {
  const router = express.Router();
  // The event turns the flow into the action (its `becomes` in transitions.ts), where the client allows it.
  const allowed = (flow: Flow, action: 'login' | 'first-login') => {
    if (!clientOf(deps, flow.clientId)?.actions.includes(action)) throw new BrokerError(5003, { detail: `client does not allow ${action}` });
  };
  const toChooser = (flow: Flow, res: express.Response): StepResult => ({ next: { step: 'choose' }, respond: () => res.redirect(303, flowUrl(flow.uid)) });

  router.post(
    flowRoute('first-login/start'),
    kit.form,
    kit.route('first-login-offer', 'start-first-login', async (_req, res, flow) => {
      if (flow.step !== 'failed' || flow.code !== 6001) throw new BrokerError(3001, { detail: `first-time login offered at step ${flow.step}` });
      allowed(flow, 'first-login');
      const kept = flow.unlinked && flow.unlinked.until >= deps.clock() ? flow.unlinked.identity : undefined;
      if (!kept) return toChooser(flow, res);
      // Linked since the 6001 (in another tab, say): the form would only fail later.
      await assertIdentityUnlinked(deps.accounts, kept);
      return { next: { step: 'first-login-form', identity: kept }, respond: () => res.redirect(303, flowUrl(flow.uid, 'first-login')) };
    }),
  );

  router.post(
    flowRoute('login/start'),
    kit.form,
    kit.route('login-offer', 'start-login', async (_req, res, flow) => {
      if (flow.step !== 'failed' || flow.code !== 6002 || flow.action !== 'first-login') throw new BrokerError(3001, { detail: `login offered at step ${flow.step}` });
      allowed(flow, 'login');
      return toChooser(flow, res);
    }),
  );
  return router;
}
