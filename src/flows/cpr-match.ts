import express, { type Request, type Response, type Router } from 'express';
import { confirmCpr } from '../accounts/cpr.ts';
import { BrokerError } from '../errors/broker-error.ts';
import type { FlowDeps } from './flow-context.ts';
import { flowRoute, flowUrl } from '../http/flow-url.ts';
import { single, type FlowKit } from './flow-kit.ts';
import type { FlowAt } from './flow-state.ts';
import { releaseFirstLogin } from './first-login.ts';
import { verifyForLink } from './link.ts';
import { releaseLogin } from './release.ts';
import { inStep } from './transitions.ts';

export const MAX_CPR_ATTEMPTS = 3;

/**
 * The CPR form, where the release rules need the typed number: it must match the account's stored
 * fingerprint and the CPR the upstream delivered, whichever there are. Codes: the form submitted after
 * its time ran out → 4000; the form opened again after its time ran out, or the last allowed wrong
 * CPR → 4001. The typed CPR is only ever compared as a keyed fingerprint, never stored or logged.
 */
export function cprMatchRoutes(deps: FlowDeps, kit: FlowKit): Router {
  const router = express.Router();

  function renderForm(req: Request, res: Response, flow: FlowAt<'cpr'>, problem?: 'invalid' | 'mismatch'): void {
    const path = flowUrl(flow.uid, 'cpr');
    kit.render(req, res, flow, 'cpr', 'ui.cpr.title', { action: path, problem, attemptsLeft: MAX_CPR_ATTEMPTS - flow.attempts }, problem ? { status: problem === 'invalid' ? 400 : 401, switchPath: path } : {});
  }

  router.get(
    flowRoute('cpr'),
    kit.route('cpr-match', 'show-cpr', async (req, res, flow) => ({ respond: () => renderForm(req, res, inStep(flow, 'cpr')) })),
  );

  router.post(
    flowRoute('cpr'),
    kit.form,
    kit.route('cpr-match', 'submit-cpr', async (req, res, loaded) => {
      const flow = inStep(loaded, 'cpr');
      const account = await deps.accounts.find(flow.accountId);
      if (!account) throw new BrokerError(4001, { detail: 'CPR match without account' });
      const checked = confirmCpr(deps.config.secrets, single(req.body?.cpr) ?? '', { stored: account.cpr_fingerprint, delivered: flow.identity.cprFingerprint });
      if (checked.result === 'invalid') return { respond: () => renderForm(req, res, flow, 'invalid') };
      if (checked.result === 'mismatch') {
        const attempts = flow.attempts + 1;
        // The last allowed try ends the form on its error page, which records that failure.
        if (attempts >= MAX_CPR_ATTEMPTS) throw new BrokerError(4001, { variant: 'mismatch', detail: 'too many CPR mismatches' });
        return {
          next: { step: 'cpr', accountId: flow.accountId, identity: flow.identity, attempts, invitationId: flow.invitationId, verifiedAt: flow.verifiedAt },
          outcome: { kind: 'cpr-mismatch', method: flow.identity.method, accountId: account.id, attempt: attempts },
          respond: (next) => renderForm(req, res, inStep(next, 'cpr'), 'mismatch'),
        };
      }
      // The confirmed login goes on the way it came: a link flow's verification, a first-time login, a login.
      const identity = { ...flow.identity, cprConfirmation: checked.confirmation };
      if (flow.verifiedAt !== undefined) return verifyForLink(deps, res, flow, account, identity, flow.verifiedAt);
      if (flow.invitationId !== undefined) return releaseFirstLogin(deps, res, flow, account, identity, flow.invitationId);
      return releaseLogin(deps, res, flow, account, identity);
    }),
  );

  return router;
}
