import express, { type Request, type RequestHandler, type Response } from 'express';
import { BrokerError } from '../errors/broker-error.ts';
import { toBrokerError } from '../errors/classify.ts';
import { browserId, browserOf } from '../http/browser-cookies.ts';
import { resolveLocale } from '../http/page.ts';
import { accountUrl, flowUrl } from '../http/flow-url.ts';
import type { Outcome } from '../outcomes/outcome.ts';
import { brandOf, clientOf, flowFailure, flowWhere, type FlowDeps } from './flow-context.ts';
import { unlinkedOf } from './action-offers.ts';
import { elsewhere } from '../errors/elsewhere.ts';
import { failureContext, foreignFailure, foreignRequest } from './elsewhere.ts';
import type { Flow, FlowStep, Verification } from './flow-state.ts';
import { methodNotices } from './method-notices.ts';
import { assertMethodAllowed, upstreamRequest } from './request-policy.ts';
import { meets } from '../assurance.ts';
import { applyEvent, assertEventAllowed, EVENTS, failedStep, type FlowEvent } from './transitions.ts';

/** A line above a list of login methods: its text, and the method or the levels it names. */
export interface Notice {
  key: string;
  method?: string | undefined;
  levels?: { required: string; reached?: string | undefined } | undefined;
}

/** The flows' forms carry a few short fields; a body over this is a paste gone wrong or an attack. */
const FORM_LIMIT_BYTES = 10 * 1024;
/** The query flag of a flow's page shown again after a form over the limit. */
export const TOO_LONG = 'too-long';

export const single = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * What a step handler decides: the flow's next state (none: it stays), what the request ended in
 * (none: nothing worth recording, e.g. a page shown again), and how to answer once both are stored.
 */
export interface StepResult {
  next?: FlowStep;
  outcome?: Outcome;
  respond: (flow: Flow) => Promise<void> | void;
}

export type FlowHandler = (req: Request, res: Response, flow: Flow) => Promise<StepResult>;

/**
 * Shared machinery of the flow routes. A request first proves it belongs to the flow (its browser,
 * and for a POST the flow's CSRF token); one that does not is refused and changes nothing. Then the
 * transition table decides whether its event may happen now; the handler returns the next state,
 * which is stored before the answer. A failure stores only `failed` and its code.
 */
export function flowKit(deps: FlowDeps) {
  const timeouts = deps.config.timeouts;
  const parse = express.urlencoded({ extended: false, limit: `${FORM_LIMIT_BYTES}b`, parameterLimit: 20 });
  /**
   * The flows' form bodies. One over the limit (a long paste into a field) is no broken request: the
   * browser goes back to the flow's page, which says the text was too long, and the login goes on.
   */
  const form: RequestHandler = (req, res, next) =>
    parse(req, res, (error?: unknown) => {
      if ((error as { type?: string } | undefined)?.type !== 'entity.too.large') return next(error);
      res.redirect(303, `${flowUrl(String(req.params.uid))}?${TOO_LONG}`);
    });

  /**
   * The flow of the URL's uid, for the browser that started it. Another browser, or this one without
   * its cookie, is told which of the two on a page branded for the flow's system; the flow stays as it was.
   */
  async function ownFlow(req: Request, res: Response, route: string): Promise<Flow | undefined> {
    const flow = await deps.flows.get(String(req.params.uid));
    if (!flow) {
      await deps.fail(req, res, elsewhere('unknownLink', 'no flow at this address'), { route });
      return undefined;
    }
    // Read before browserId(), which issues an id to a browser that brought none.
    const cookieless = !browserOf(req).returning;
    if (!cookieless && flow.browser === browserId(req)) return flow;
    const sent = (req.body as Record<string, unknown> | undefined)?.csrf;
    const fromItsPage = req.method === 'POST' && deps.tokens.checkCsrf(sent, flow.browser, flow.uid);
    await deps.fail(req, res, foreignRequest(req, fromItsPage), foreignFailure(deps, flow, route));
    return undefined;
  }

  function assertAuthentic(req: Request, flow: Flow): void {
    const sent = (req.body as Record<string, unknown> | undefined)?.csrf;
    if (req.method === 'POST' && !deps.tokens.checkCsrf(sent, flow.browser, flow.uid)) throw new BrokerError(3000, { detail: 'CSRF token missing or wrong' });
  }

  /**
   * Runs an event of a flow that is this browser's: table check, handler, stored next state, the
   * outcome recorded, answer. A failure is recorded as it is shown, on its error page.
   */
  async function runEvent(req: Request, res: Response, route: string, flow: Flow, event: FlowEvent, handler: FlowHandler): Promise<void> {
    let current = flow;
    try {
      if (flow.step === 'done') return renderFinished(req, res, flow);
      assertEventAllowed(flow, event, deps.clock());
      const result = await handler(req, res, flow);
      if (result.next) {
        current = applyEvent(flow, event, result.next, deps.clock(), timeouts);
        await deps.flows.save(current);
      }
      if (result.outcome) await deps.journal.record(result.outcome, flowWhere(flow, route));
      await result.respond(current);
    } catch (error) {
      const failure = toBrokerError(error);
      if ((EVENTS.fail.from as readonly string[]).includes(current.step)) {
        const unlinked = unlinkedOf(failure, deps.clock(), timeouts.first_login);
        await deps.flows.save(applyEvent(current, 'fail', failedStep(current, failure.code, unlinked), deps.clock(), timeouts)).catch(() => undefined);
      }
      await deps.fail(req, res, failure, flowFailure(deps, current, route));
    }
  }

  /** A route of an existing flow (`:uid` in the path): authenticity first, then the event. */
  function route(name: string, event: FlowEvent, handler: FlowHandler) {
    return async (req: Request, res: Response) => {
      deps.timeRoute(name, res);
      let flow: Flow | undefined;
      try {
        flow = await ownFlow(req, res, name);
      } catch (error) {
        return deps.fail(req, res, error, failureContext(deps, error, name));
      }
      if (!flow) return;
      try {
        assertAuthentic(req, flow);
      } catch (error) {
        // Not the flow's own request: refused on the flow's page, and the flow stays as it was.
        return deps.fail(req, res, error, flowFailure(deps, flow, name));
      }
      await runEvent(req, res, name, flow, event, handler);
    };
  }

  /** Starts the upstream login for a method: the flow keeps the login's secrets and sends the browser there. */
  async function goUpstream(res: Response, flow: Flow, method: string, verified?: Verification): Promise<StepResult> {
    const connector = deps.connectors.get(method);
    if (!connector) throw new BrokerError(5004, { detail: 'no connector' });
    await deps.preflight.beforeUpstream(method);
    const state = deps.tokens.upstreamState(flow.browser, flow.uid);
    const { url, pending } = await connector.begin(upstreamRequest(deps.config, flow, resolveLocale(res.req, flow.uiLocales), state));
    return { next: { step: 'upstream', method, login: pending, verified }, respond: () => res.redirect(303, url) };
  }

  /** The login method a form chose: it must exist and be allowed for the flow's client. */
  function chosenMethod(req: Request, flow: Flow): string {
    const method = single((req.body as Record<string, unknown> | undefined)?.method);
    const client = clientOf(deps, flow.clientId);
    if (!method || !client) throw new BrokerError(5004, { detail: 'no method chosen' });
    assertMethodAllowed(deps.config, client, method);
    return method;
  }

  function noticeVars(notice: Notice, system: string, t: (key: string) => string): Record<string, string> {
    const vars: Record<string, string> = { system };
    if (notice.method !== undefined) vars.method = deps.connectors.get(notice.method)?.displayName ?? notice.method;
    if (notice.levels) Object.assign(vars, { required: t(`levels.${notice.levels.required}`), reached: t(`levels.${notice.levels.reached ?? 'none'}`) });
    return vars;
  }

  /** Renders a page of a flow, branded for its client, in its language, with its CSRF token and "Annullér". */
  function render(req: Request, res: Response, flow: Flow, view: string, titleKey: string, data: Record<string, unknown>, extra: { status?: number; errorCode?: number; switchPath?: string } = {}): void {
    const brand = brandOf(deps, flow.clientId);
    const tooLong = req.query[TOO_LONG] !== undefined;
    deps.pages.render(req, res, view, { csrf: deps.tokens.csrf(flow.browser, flow.uid), abort: flowUrl(flow.uid, 'abort'), tooLong, ...data }, { titleKey, brand, uiLocales: flow.uiLocales, ...extra });
  }

  /** The chooser and the link page: one button per method the client allows, linked ones disabled. */
  function renderMethods(req: Request, res: Response, flow: Flow, keys: string, action: string, options: { linked?: Set<string>; finish?: string; notice?: Notice } = {}): void {
    const client = clientOf(deps, flow.clientId);
    const system = client?.displayName ?? '';
    // A step-up offers the methods that can reach the level the session lacks (`max_level`).
    const required = flow.step === 'choose' ? flow.stepUp?.required : undefined;
    const reaching = (client?.loginMethods ?? []).filter((id) => !required || meets(deps.config.methods.get(id)?.maxLevel ?? 'high', required));
    const methods = (reaching.length ? reaching : (client?.loginMethods ?? [])).map((id) => ({
      id,
      name: deps.connectors.get(id)?.displayName ?? id,
      disabled: options.linked?.has(id) ?? false,
    }));
    const page = deps.pages.page(req, res, { titleKey: `${keys}.title`, uiLocales: flow.uiLocales });
    const notices = methodNotices(methods, (id) => deps.health.status(id), page);
    render(req, res, flow, 'chooser', `${keys}.title`, {
      heading: page.t(`${keys}.heading`, { system }),
      intro: page.t(`${keys}.intro`, { system }),
      notice: options.notice ? page.t(options.notice.key, noticeVars(options.notice, system, page.t)) : undefined,
      action,
      finish: options.finish,
      methods: methods.map((m) => ({ ...m, notice: notices.get(m.id) })),
    });
  }

  /** Back or reload after the flow ended: no error, a page saying so with the way back to the system. */
  function renderFinished(req: Request, res: Response, flow: Flow): void {
    const client = clientOf(deps, flow.clientId);
    deps.pages.render(req, res, 'finished', { system: client?.displayName ?? '', home: client?.clientUri, account: accountUrl('', { system: client?.own ? undefined : client?.id, tenant: flow.tenant || undefined }) }, { titleKey: 'ui.finished.title', brand: brandOf(deps, flow.clientId), uiLocales: flow.uiLocales });
  }

  return { form, runEvent, route, goUpstream, chosenMethod, render, renderMethods, renderFinished, timeouts };
}

export type FlowKit = ReturnType<typeof flowKit>;
