import express, { type Request, type Response, type Router } from 'express';
import { compareCpr } from '../accounts/cpr.ts';
import { BrokerError } from '../errors/broker-error.ts';
import { newReference } from '../errors/reference.ts';
import type { FlowDeps } from './flow-context.ts';
import { single, type FlowKit } from './flow-kit.ts';
import type { FlowAt } from './flow-state.ts';
import { completeLogin } from './login.ts';
import { inStep } from './transitions.ts';

export const MAX_CPR_ATTEMPTS = 3;

/**
 * CPR match after a MitID login. Codes: the form submitted after its time ran out → 4000; the form
 * opened again after its time ran out, or the last allowed wrong CPR → 4001. The typed CPR is only
 * ever compared as a keyed fingerprint, never stored or logged.
 */
export function cprMatchRoutes(deps: FlowDeps, kit: FlowKit): Router {
  const router = express.Router();

  function renderForm(req: Request, res: Response, flow: FlowAt<'cpr'>, problem?: 'invalid' | 'mismatch'): void {
    const path = `/interaction/${flow.uid}/cpr`;
    kit.render(req, res, flow, 'cpr', 'ui.cpr.title', { action: path, problem, attemptsLeft: MAX_CPR_ATTEMPTS - flow.attempts }, problem ? { status: problem === 'invalid' ? 400 : 401, switchPath: path } : {});
  }

  router.get(
    '/interaction/:uid/cpr',
    kit.route('cpr-match', 'show-cpr', async (req, res, flow) => ({ respond: () => renderForm(req, res, inStep(flow, 'cpr')) })),
  );

  router.post(
    '/interaction/:uid/cpr',
    kit.form,
    kit.route('cpr-match', 'submit-cpr', async (req, res, loaded) => {
      const flow = inStep(loaded, 'cpr');
      const account = await deps.accounts.find(flow.accountId);
      if (!account) throw new BrokerError(4001, { detail: 'CPR match without account' });
      const reference = flow.identity.cprFingerprint ?? account.cpr_fingerprint;
      const typed = single(req.body?.cpr) ?? '';
      if (!reference) throw new BrokerError(4001, { detail: 'no CPR from the upstream and none stored for the account' });
      const comparison = compareCpr(deps.config.secrets, typed, reference, account.cpr_fingerprint);
      if (comparison.result === 'invalid') return { respond: () => renderForm(req, res, flow, 'invalid') };
      if (comparison.result === 'mismatch') {
        const attempts = flow.attempts + 1;
        await deps.audit.record({ reference: newReference(), event: 'cpr-match', outcome: 'failure', tenant: flow.tenant, clientId: flow.clientId, method: flow.identity.method, accountId: account.id, detail: `mismatch ${attempts}` });
        if (attempts >= MAX_CPR_ATTEMPTS) throw new BrokerError(4001, { variant: 'mismatch', detail: 'too many CPR mismatches' });
        return { next: { step: 'cpr', accountId: flow.accountId, identity: flow.identity, attempts }, respond: (next) => renderForm(req, res, inStep(next, 'cpr'), 'mismatch') };
      }
      // Kept for a later match without the upstream's CPR; one made by a previous CPR key is re-made with the current one.
      if (comparison.store) await deps.accounts.setCprFingerprint(account.id, comparison.store);
      return completeLogin(deps, res, flow, account.id, flow.identity, 'login');
    }),
  );

  return router;
}
