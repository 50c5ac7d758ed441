import express, { type Router } from 'express';
import { BrokerError } from '../errors/broker-error.ts';
import { clientOf, type FlowDeps } from './flow-context.ts';
import type { FlowKit } from './flow-kit.ts';

/**
 * "Start førstegangslogin" on a 6001 page: the same interaction goes on as a first-time login, back
 * at the chooser, where the client allows that action. Nothing else about the flow changes.
 */
export function firstLoginOfferRoutes(deps: FlowDeps, kit: FlowKit): Router {
  const router = express.Router();
  router.post(
    '/interaction/:uid/first-login/start',
    kit.form,
    kit.route('first-login-offer', 'start-first-login', async (_req, res, flow) => {
      if (flow.step !== 'failed' || flow.code !== 6001) throw new BrokerError(3001, { detail: `first-time login offered at step ${flow.step}` });
      if (!clientOf(deps, flow.clientId)?.actions.includes('first-login')) throw new BrokerError(5003, { detail: 'client does not allow first-login' });
      // The action is part of the flow's base, which the next step keeps.
      flow.action = 'first-login';
      return { next: { step: 'choose' }, respond: () => res.redirect(303, `/interaction/${flow.uid}`) };
    }),
  );
  return router;
}
