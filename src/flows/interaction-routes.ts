import express, { type Request, type Response, type Router } from 'express';
import { BrokerError } from '../errors/broker-error.ts';
import { browserId, checkCsrf } from '../http/page.ts';
import type { UpstreamIdentity } from '../upstream/connector.ts';
import { finishInteraction, type FlowDeps } from './flow-context.ts';
import type { FlowKit } from './flow-kit.ts';
import { now, single } from './flow-kit.ts';
import type { Action, Flow } from './flow-state.ts';
import { resolveRequest } from './request-policy.ts';

export type IdentityHandler = (req: Request, res: Response, flow: Flow, identity: UpstreamIdentity) => Promise<void>;

/** The chooser, the upstream callback and "back to the system": the part every action shares. */
export function interactionRoutes(deps: FlowDeps, kit: FlowKit, onIdentity: Record<Action, IdentityHandler>): Router {
  const router = express.Router();
  const { step, loadFlow, moveTo, goUpstream, timeouts } = kit;

  /**
   * A new flow for an interaction. It exists before Portvagt's own parameters are checked, so that a
   * bad tenant, action or method still gets a page with a way back to the system.
   */
  async function startFlow(req: Request, res: Response, setFlow: (flow: Flow) => void): Promise<Flow> {
    const details = await deps.provider.interactionDetails(req, res).catch((error: unknown) => {
      throw new BrokerError(3001, { detail: 'interaction not found', cause: error });
    });
    if (details.uid !== req.params.uid) throw new BrokerError(3001, { detail: 'interaction cookie for another uid' });
    const clientId = String(details.params.client_id);
    const flow: Flow = {
      uid: details.uid,
      clientId,
      tenant: single(details.params.tenant) ?? '',
      action: 'login',
      uiLocales: single(details.params.ui_locales),
      loginHint: single(details.params.login_hint)?.slice(0, 256),
      step: 'choose',
      stepExpiresAt: now() + timeouts.chooser * 1000,
      browser: browserId(req),
    };
    setFlow(flow);
    const resolved = resolveRequest(deps.config, clientId, details.params);
    Object.assign(flow, { tenant: resolved.tenant, action: resolved.action, method: resolved.method });
    await deps.flows.save(flow);
    return flow;
  }

  function renderChooser(req: Request, res: Response, flow: Flow): void {
    const keys = flow.action === 'first-login' ? 'ui.chooser.firstLogin' : flow.action === 'link' ? 'ui.chooser.verify' : 'ui.chooser.login';
    kit.renderMethods(req, res, flow, keys, `/interaction/${flow.uid}/method`);
  }

  router.get(
    '/interaction/:uid',
    step('interaction', async (req, res, setFlow) => {
      const existing = await deps.flows.get(String(req.params.uid));
      if (existing && existing.browser === browserId(req)) {
        setFlow(existing);
        // A link flow already verified goes back to its link page; otherwise the chooser anew (back button, "try again").
        if (existing.action === 'link' && existing.accountId) return res.redirect(303, `/interaction/${existing.uid}/link`);
        await moveTo(existing, 'choose', timeouts.chooser);
        return renderChooser(req, res, existing);
      }
      const flow = await startFlow(req, res, setFlow);
      if (flow.method) return goUpstream(res, flow, flow.method);
      renderChooser(req, res, flow);
    }),
  );

  router.post(
    '/interaction/:uid/method',
    kit.form,
    kit.flowStep('choose', ['choose'], 3001, async (req, res, flow) => goUpstream(res, flow, kit.chosenMethod(req, flow))),
  );

  router.get(
    '/callback/:upstream',
    step('callback', async (req, res, setFlow) => {
      const upstream = String(req.params.upstream);
      const connector = deps.connectors.get(upstream);
      if (!connector) throw new BrokerError(5004, { detail: 'callback for unknown upstream' });
      const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
      const state = query.get('state');
      if (!state || query.getAll('state').length > 1 || (!query.has('code') && !query.has('error'))) {
        throw new BrokerError(3000, { detail: 'callback without state, code or error' });
      }
      const pending = await deps.flows.takePending(state, browserId(req));
      if (!pending) throw new BrokerError(3002, { detail: 'no pending login for state in this browser (expired, replayed, other tab or browser)' });
      const flow = await deps.flows.get(pending.uid);
      if (!flow) throw new BrokerError(3002, { detail: 'pending login without its flow' });
      setFlow(flow);
      if (pending.method !== upstream) throw new BrokerError(3003, { detail: `response for ${pending.method} arrived at ${upstream} callback` });
      if (flow.step !== 'upstream' || flow.method !== upstream) throw new BrokerError(3002, { detail: `callback while flow is at ${flow.step}` });
      const identity = await connector.complete(query, pending.login);
      await onIdentity[flow.action](req, res, flow, identity);
    }),
  );

  router.post(
    '/interaction/:uid/abort',
    kit.form,
    step('abort', async (req, res, setFlow) => {
      const flow = await loadFlow(req);
      setFlow(flow);
      if (!checkCsrf(req)) throw new BrokerError(3000, { detail: 'CSRF token missing or wrong' });
      await finishInteraction(deps, res, flow.uid, { error: 'access_denied', error_description: `Portvagt error ${flow.lastError ?? 'cancelled'}` });
    }),
  );

  return router;
}
