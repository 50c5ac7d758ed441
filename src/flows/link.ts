import express, { type Request, type Response, type Router } from 'express';
import { BrokerError } from '../errors/broker-error.ts';
import { newReference } from '../errors/reference.ts';
import type { UpstreamIdentity } from '../upstream/connector.ts';
import type { FlowDeps } from './flow-context.ts';
import { now, type FlowKit } from './flow-kit.ts';
import type { Flow } from './flow-state.ts';
import { completeLogin, linkedAccount, storableIdentity } from './login.ts';

/**
 * Linking a new login method (Tilknyt nyt login): the first upstream login in the flow proves the
 * account; each later one, while that proof is fresh, adds a method. Nothing is ever merged.
 */
export function onLinkIdentity(deps: FlowDeps, kit: FlowKit) {
  return async (_req: Request, res: Response, flow: Flow, identity: UpstreamIdentity): Promise<void> => {
    if (!flow.accountId) {
      const account = await linkedAccount(deps, flow, identity);
      flow.accountId = account.id;
      flow.verifiedAt = now();
      flow.identity = storableIdentity(deps, identity);
    } else {
      assertFreshVerification(deps, flow);
      const outcome = await deps.accounts.link(flow.accountId, identity);
      if (outcome !== 'linked') throw new BrokerError(6002, { detail: `link refused: ${outcome}` });
      await deps.audit.record({ reference: newReference(), event: 'link', outcome: 'success', tenant: flow.tenant, clientId: flow.clientId, method: identity.method, accountId: flow.accountId });
    }
    await kit.moveTo(flow, 'link-page', kit.timeouts.link);
    res.redirect(303, `/interaction/${flow.uid}/link`);
  };
}

/** Adding a method needs the verification login of this same flow, no older than the configured limit. */
function assertFreshVerification(deps: FlowDeps, flow: Flow): void {
  if (!flow.verifiedAt || flow.verifiedAt + deps.config.timeouts.link_verification * 1000 < now()) {
    throw new BrokerError(4100, { detail: 'verification login too old for linking' });
  }
}

/** The account a link flow has verified; without one the link session is over. */
function verifiedAccount(flow: Flow): string {
  if (flow.action !== 'link' || !flow.accountId) throw new BrokerError(4100, { detail: 'link page without a verified account' });
  return flow.accountId;
}

export function linkRoutes(deps: FlowDeps, kit: FlowKit): Router {
  const router = express.Router();

  router.get(
    '/interaction/:uid/link',
    // Back from an upstream or from a refused link: the page is still the place to be while it lasts.
    kit.flowStep('link', ['link-page', 'upstream', 'failed'], 4100, async (req, res, flow) => {
      const accountId = verifiedAccount(flow);
      if (flow.step !== 'link-page') await kit.moveTo(flow, 'link-page', Math.max(1, (flow.stepExpiresAt - now()) / 1000));
      const linked = new Set((await deps.accounts.links(accountId)).map((l) => l.method));
      kit.renderMethods(req, res, flow, 'ui.link', `/interaction/${flow.uid}/link/method`, { linked, finish: `/interaction/${flow.uid}/link/finish` });
    }),
  );

  router.post(
    '/interaction/:uid/link/method',
    kit.form,
    kit.flowStep('link', ['link-page'], 4100, async (req, res, flow) => {
      const accountId = verifiedAccount(flow);
      assertFreshVerification(deps, flow);
      const method = kit.chosenMethod(req, flow);
      if ((await deps.accounts.links(accountId)).some((l) => l.method === method)) {
        throw new BrokerError(6002, { detail: 'method already linked to this account' });
      }
      await kit.goUpstream(res, flow, method);
    }),
  );

  router.post(
    '/interaction/:uid/link/finish',
    kit.form,
    kit.flowStep('link', ['link-page'], 4100, async (req, res, flow) => {
      const accountId = verifiedAccount(flow);
      if (!flow.identity) throw new BrokerError(4100, { detail: 'no verification identity' });
      await completeLogin(deps, req, res, flow, accountId, flow.identity, 'link-finish');
    }),
  );

  return router;
}
