import express, { type Request, type Response, type Router } from 'express';
import { errors } from 'oidc-provider';
import { BrokerError } from '../errors/broker-error.ts';
import { browserId, browserOf } from '../http/browser-cookies.ts';
import { safeEqual } from '../crypto/safe-equal.ts';
import type { PendingUpstreamLogin, UpstreamIdentity } from '../upstream/connector.ts';
import { UnlinkedIdentityError } from './action-offers.ts';
import { elsewhere } from '../errors/elsewhere.ts';
import { failureContext, foreignFailure } from './elsewhere.ts';
import { finishInteraction, flowFailure, type FlowDeps } from './flow-context.ts';
import { single, TOO_LONG, type FlowKit, type StepResult } from './flow-kit.ts';
import type { Flow } from './flow-state.ts';
import { storableIdentity } from './login.ts';
import { resolveRequest } from './request-policy.ts';
import { requestedAuthentication } from './requested-authentication.ts';
import { releaseLogin } from './release.ts';
import { fromSession } from './single-sign-on.ts';
import { pageOf } from './steps.ts';
import { startStep, inStep } from './transitions.ts';
import type { Action } from '../actions.ts';
import { flowRoute, flowUrl } from '../http/flow-url.ts';
import { errorResult, isUserCancel, USER_CANCEL } from './upstream-cancel.ts';

export type IdentityHandler = (req: Request, res: Response, flow: Flow, identity: UpstreamIdentity) => Promise<StepResult>;

const CHOOSER_KEYS: Record<Action, string> = { login: 'ui.chooser.login', 'first-login': 'ui.chooser.firstLogin', link: 'ui.chooser.verify' };

/** The query parameter of the redirect that checks whether this browser sends back a cookie just set. */
const COOKIE_CHECK = 'cookie-check';
/** An oidc-provider interaction id, as the first part of an upstream `state` carries it (base64url). */
const FLOW_UID = /^[\w-]{1,64}$/;

/** The chooser, the upstream callback and "back to the system": the part every action shares. */
export function interactionRoutes(deps: FlowDeps, kit: FlowKit, onIdentity: Record<Action, IdentityHandler>): Router {
  const router = express.Router();
  const { timeouts } = kit;

  /** What the chooser's line above the methods says: the upstream just cancelled at, or the level a step-up needs. */
  const chooserNotices = (flow: Flow) => (flow.step === 'choose' ? { cancelled: flow.cancelled, stepUp: flow.stepUp } : {});

  function renderChooser(req: Request, res: Response, flow: Flow): void {
    const { cancelled, stepUp } = chooserNotices(flow);
    const notice = cancelled ? { key: 'ui.chooser.cancelled', method: cancelled } : stepUp ? { key: 'ui.chooser.stepUp', levels: stepUp } : undefined;
    kit.renderMethods(req, res, flow, CHOOSER_KEYS[flow.action], flowUrl(flow.uid, 'method'), { notice });
  }

  /**
   * A new flow for an interaction. Portvagt's own parameters are checked first; a bad tenant, action
   * or method still makes a (failed) flow, so its page has a way back to the system.
   */
  async function startFlow(req: Request, res: Response): Promise<void> {
    const details = await deps.provider.interactionDetails(req, res).catch((error: unknown) => {
      if (error instanceof errors.SessionNotFound) return undefined;
      throw error;
    });
    if (!details || details.uid !== req.params.uid) return notStartable(req, res, String(req.params.uid));
    const clientId = String(details.params.client_id);
    const base = { uid: details.uid, clientId, tenant: single(details.params.tenant) ?? '', action: 'login' as const, uiLocales: single(details.params.ui_locales), loginHint: single(details.params.login_hint)?.slice(0, 256), browser: browserId(req), requested: requestedAuthentication(details.params, deps.clock()) };
    let resolved: ReturnType<typeof resolveRequest>;
    try {
      resolved = resolveRequest(deps.config, clientId, details.params);
    } catch (error) {
      const code = error instanceof BrokerError ? error.code : 500;
      const failed = startStep(base, { step: 'failed', code }, deps.clock(), timeouts);
      await deps.flows.save(failed);
      return deps.fail(req, res, error, flowFailure(deps, failed, 'interaction'));
    }
    const started = startStep({ ...base, tenant: resolved.tenant, action: resolved.action }, { step: 'choose' }, deps.clock(), timeouts);
    const method = resolved.method;
    // The browser's session first: a login of it the release rules allow needs no chooser (single sign-on).
    const session = await fromSession(deps, req, started, method);
    // Released at once, the flow is stored only as done.
    if (session?.kind === 'release') return kit.runEvent(req, res, 'interaction', started, 'sso-release', () => releaseLogin(deps, res, started, session.account, session.identity, { fromSession: true }));
    const flow = session?.kind === 'step-up' ? startStep(started, { step: 'choose', stepUp: session }, deps.clock(), timeouts) : started;
    await deps.flows.save(flow);
    if (method) return kit.runEvent(req, res, 'interaction', flow, 'choose-method', (_req, _res, f) => kit.goUpstream(res, f, method));
    renderChooser(req, res, flow);
  }

  /**
   * The chooser's address without this browser's interaction cookie: opened in another browser, or in
   * a browser that refuses cookies, which a cookie set here and not sent back on the redirect shows; or
   * nothing lives there. The interaction names the system, so the page is branded for it.
   */
  async function notStartable(req: Request, res: Response, uid: string): Promise<void> {
    const interaction = await deps.provider.Interaction.find(uid);
    if (!interaction) throw elsewhere('unknownLink', 'no interaction at this address');
    const { params } = interaction;
    const context = foreignFailure(deps, { clientId: String(params.client_id), tenant: single(params.tenant) ?? '', uiLocales: single(params.ui_locales) }, 'interaction');
    if (!browserOf(req).returning) {
      if (req.query[COOKIE_CHECK] === undefined) {
        browserId(req);
        return res.redirect(303, `${flowUrl(uid)}?${COOKIE_CHECK}=1`);
      }
      return deps.fail(req, res, elsewhere('cookies', 'the browser cookie set before the redirect did not come back'), context);
    }
    return deps.fail(req, res, elsewhere('otherBrowser', 'interaction started in another browser'), context);
  }

  /** This browser's flow opened again (reload, back, "try again"): its current step where it still has one. */
  async function resume(req: Request, res: Response, flow: Flow): Promise<void> {
    if (flow.step === 'done') return kit.renderFinished(req, res, flow);
    const page = pageOf(flow);
    // A form over the limit came back here: its page says so (see flow-kit.ts).
    if (page) return res.redirect(303, `${flowUrl(flow.uid, page)}${req.query[TOO_LONG] !== undefined ? `?${TOO_LONG}` : ''}`);
    await kit.runEvent(req, res, 'interaction', flow, 'show-chooser', async () => {
      // A link flow past its time is over: its address keeps saying so, and the way on is the system.
      if (flow.step === 'failed' && flow.code === 4100) throw new BrokerError(4100, { detail: 'link flow reopened after it expired' });
      return { next: { step: 'choose', ...chooserNotices(flow) }, respond: (shown) => renderChooser(req, res, shown) };
    });
  }

  router.get(flowRoute(), async (req, res) => {
    deps.timeRoute('interaction', res);
    try {
      // A browser that brought no id of ours has no flow yet: its first visit reads nothing.
      const existing = browserOf(req).returning ? await deps.flows.get(String(req.params.uid)) : undefined;
      if (existing && existing.browser === browserId(req)) return await resume(req, res, existing);
      await startFlow(req, res);
    } catch (error) {
      await deps.fail(req, res, error, failureContext(deps, error, 'interaction'));
    }
  });

  router.post(
    flowRoute('method'),
    kit.form,
    kit.route('choose', 'choose-method', async (req, res, flow) => kit.goUpstream(res, flow, kit.chosenMethod(req, flow))),
  );

  /** The upstream's answer for a flow at the upstream: an identity, or the user's cancel. */
  async function upstreamReturn(req: Request, res: Response, loaded: Flow, method: string, complete: (login: PendingUpstreamLogin) => Promise<UpstreamIdentity>): Promise<StepResult> {
    const flow = inStep(loaded, 'upstream');
    if (flow.method !== method) throw new BrokerError(3003, { detail: `response for ${flow.method} arrived at ${method} callback` });
    let identity: UpstreamIdentity;
    try {
      identity = await complete(flow.login);
    } catch (error) {
      if (!isUserCancel(error)) throw error;
      const outcome = { kind: 'cancelled', method } as const;
      // A link flow adding a method goes back to its link page; any other to the chooser, with a notice.
      if (flow.verified) return { next: { step: 'link-page', verified: flow.verified }, outcome, respond: () => res.redirect(303, flowUrl(flow.uid, 'link')) };
      return { next: { step: 'choose', cancelled: method }, outcome, respond: () => res.redirect(303, flowUrl(flow.uid)) };
    }
    return onIdentity[flow.action](req, res, flow, identity).catch((error: unknown) => {
      // Linked to no account: kept, so that "Start førstegangslogin" needs no second upstream login.
      if (error instanceof BrokerError && error.code === 6001 && error.variant === undefined) throw new UnlinkedIdentityError(error, storableIdentity(deps, identity));
      throw error;
    });
  }

  /**
   * A callback with a `state` this browser was not given. Where a flow waits for exactly that state,
   * the login was started in another browser (the MitID app often returns to the phone's default
   * browser): the page says so, branded for the system, and the flow stays for the browser that started it.
   */
  async function refuseForeignCallback(req: Request, res: Response, state: string): Promise<void> {
    const uid = state.split('.')[0] ?? '';
    const waiting = FLOW_UID.test(uid) ? await deps.flows.get(uid) : undefined;
    if (waiting?.step !== 'upstream' || !safeEqual(waiting.login.state, state)) {
      throw new BrokerError(3002, { detail: 'state not issued to this browser (forged, altered, or replayed elsewhere)' });
    }
    await deps.fail(req, res, elsewhere('otherBrowser', 'callback in another browser than the one that started the login'), foreignFailure(deps, waiting, 'callback'));
  }

  /** The flow an upstream callback belongs to, taken out of the store: only by a `state` this browser was given. */
  async function takeCallbackFlow(uid: string): Promise<Flow> {
    const flow = await deps.flows.take(uid);
    if (!flow) throw new BrokerError(3002, { detail: 'no flow waits for this state (expired, or its callback is being handled)' });
    return flow;
  }

  router.get('/callback/:method', async (req, res) => {
    deps.timeRoute('callback', res);
    let flow: Flow | undefined;
    try {
      const method = String(req.params.method);
      const connector = deps.connectors.get(method);
      if (!connector) throw new BrokerError(5004, { detail: 'callback for unknown upstream' });
      const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
      const state = query.get('state');
      if (!state || query.getAll('state').length > 1 || (!query.has('code') && !query.has('error'))) {
        throw new BrokerError(3000, { detail: 'callback without state, code or error' });
      }
      const uid = deps.tokens.flowOfUpstreamState(state, browserId(req));
      if (!uid) return await refuseForeignCallback(req, res, state);
      flow = await takeCallbackFlow(uid);
      if (flow.step !== 'upstream' || !safeEqual(flow.login.state, state)) {
        // An earlier attempt's state, or a replay after the login: the flow goes back as it was.
        await deps.flows.save(flow);
        // The callback of a finished login opened again (back, reload, history): no error, it is over.
        if (flow.step === 'done') return kit.renderFinished(req, res, flow);
        throw new BrokerError(3002, { detail: `callback for a state the flow does not wait for (step ${flow.step})` });
      }
      await kit.runEvent(req, res, 'callback', flow, 'upstream-return', (_req, _res, found) => upstreamReturn(req, res, found, method, (login) => connector.complete(query, login)));
    } catch (error) {
      await deps.fail(req, res, error, flow ? flowFailure(deps, flow, 'callback') : failureContext(deps, error, 'callback'));
    }
  });

  router.post(
    flowRoute('abort'),
    kit.form,
    kit.route('abort', 'abort', async (_req, res, flow) => ({
      next: { step: 'done' },
      // From an error page the system learns the code; from "Annullér" that the user chose to leave.
      respond: () => finishInteraction(deps, res, flow.uid, flow.step === 'failed' ? errorResult(flow.code) : USER_CANCEL),
    })),
  );

  return router;
}
