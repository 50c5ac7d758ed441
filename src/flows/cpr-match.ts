import express, { type Request, type Response, type Router } from 'express';
import { checkCprFingerprint, cprFingerprint, normaliseCpr } from '../accounts/cpr.ts';
import { BrokerError } from '../errors/broker-error.ts';
import { newReference } from '../errors/reference.ts';
import type { FlowDeps } from './flow-context.ts';
import { single, type FlowKit } from './flow-kit.ts';
import type { Flow } from './flow-state.ts';
import { completeLogin } from './login.ts';

export const MAX_CPR_ATTEMPTS = 3;

/**
 * CPR match after a MitID login. Codes: the form submitted after its time ran out → 4000; the form
 * opened again after its time ran out, or the last allowed wrong CPR → 4001. The typed CPR is only
 * ever compared as a keyed fingerprint, never stored or logged.
 */
export function cprMatchRoutes(deps: FlowDeps, kit: FlowKit): Router {
  const router = express.Router();

  function renderForm(req: Request, res: Response, flow: Flow, problem?: 'invalid' | 'mismatch'): void {
    kit.render(req, res, flow, 'cpr', 'ui.cpr.title', { action: `/interaction/${flow.uid}/cpr`, problem, attemptsLeft: MAX_CPR_ATTEMPTS - (flow.cprAttempts ?? 0) }, problem ? { status: problem === 'invalid' ? 400 : 401 } : {});
  }

  router.get(
    '/interaction/:uid/cpr',
    kit.flowStep('cpr-match', ['cpr'], 4001, async (req, res, flow) => renderForm(req, res, flow)),
  );

  router.post(
    '/interaction/:uid/cpr',
    kit.form,
    kit.flowStep('cpr-match', ['cpr'], 4000, async (req, res, flow) => {
      const account = flow.accountId ? await deps.accounts.find(flow.accountId) : undefined;
      if (!account || !flow.identity) throw new BrokerError(4001, { detail: 'CPR match without account' });
      const cpr = normaliseCpr(single(req.body?.cpr) ?? '');
      if (!cpr) return renderForm(req, res, flow, 'invalid');
      const reference = flow.identity.cprFingerprint ?? account.cpr_fingerprint;
      if (!reference) throw new BrokerError(4001, { detail: 'no CPR from the upstream and none stored for the account' });
      if (!checkCprFingerprint(deps.config.secrets, cpr, reference)) {
        flow.cprAttempts = (flow.cprAttempts ?? 0) + 1;
        await deps.audit.record({ reference: newReference(), event: 'cpr-match', outcome: 'failure', tenant: flow.tenant, clientId: flow.clientId, method: flow.identity.method, accountId: account.id, detail: `mismatch ${flow.cprAttempts}` });
        if (flow.cprAttempts >= MAX_CPR_ATTEMPTS) throw new BrokerError(4001, { detail: 'too many CPR mismatches' });
        await deps.flows.save(flow);
        return renderForm(req, res, flow, 'mismatch');
      }
      // Stored for a later match without the upstream's CPR; one made by a previous CPR key is re-made with the current one.
      const stored = account.cpr_fingerprint ? checkCprFingerprint(deps.config.secrets, cpr, account.cpr_fingerprint) : undefined;
      if (!account.cpr_fingerprint || stored === 'stale') await deps.accounts.setCprFingerprint(account.id, cprFingerprint(deps.config.secrets, cpr));
      await completeLogin(deps, req, res, flow, account.id, flow.identity, 'login');
    }),
  );

  return router;
}
