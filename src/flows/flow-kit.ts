import express, { type Request, type Response } from 'express';
import { BrokerError } from '../errors/broker-error.ts';
import type { ErrorCode } from '../errors/catalogue.ts';
import { browserId, csrfToken, checkCsrf, resolveLocale } from '../http/page.ts';
import { brandOf, flowFailure, type FlowDeps } from './flow-context.ts';
import type { Flow, Step } from './flow-state.ts';
import { assertMethodAllowed, upstreamRequest } from './request-policy.ts';

export const now = () => Date.now();
export const single = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export type StepHandler = (req: Request, res: Response, setFlow: (flow: Flow) => void) => Promise<void>;

/** Shared machinery of the flow routes: loading a flow safely, step deadlines, going upstream, failing. */
export function flowKit(deps: FlowDeps) {
  const timeouts = deps.config.timeouts;
  const form = express.urlencoded({ extended: false, limit: '10kb', parameterLimit: 20 });

  /** The flow of the URL's uid, only for the browser that started it. */
  async function loadFlow(req: Request): Promise<Flow> {
    const flow = await deps.flows.get(String(req.params.uid));
    if (!flow || flow.browser !== browserId(req)) throw new BrokerError(3001, { detail: 'no flow for this browser' });
    return flow;
  }

  /** A POST's CSRF token, and the flow being in the expected step before its deadline (else `expired`). */
  function expectStep(req: Request, flow: Flow, steps: Step[], expired: ErrorCode): void {
    if (req.method === 'POST' && !checkCsrf(req)) throw new BrokerError(3000, { detail: 'CSRF token missing or wrong' });
    if (!steps.includes(flow.step)) throw new BrokerError(expired, { detail: `expected step ${steps.join('|')}, flow is at ${flow.step}` });
    if (flow.stepExpiresAt < now()) throw new BrokerError(expired, { detail: `step ${flow.step} expired` });
  }

  async function moveTo(flow: Flow, step: Step, seconds: number): Promise<void> {
    flow.step = step;
    flow.stepExpiresAt = now() + seconds * 1000;
    await deps.flows.save(flow);
  }

  /** Starts the upstream login for a method: pending state keyed by the upstream `state`, then redirect. */
  async function goUpstream(res: Response, flow: Flow, method: string): Promise<void> {
    const connector = deps.connectors.get(method);
    if (!connector) throw new BrokerError(5004, { detail: 'no connector' });
    await deps.preflight.beforeUpstream(method);
    const { url, pending } = await connector.begin(upstreamRequest(deps.config, flow, resolveLocale(res.req, flow.uiLocales)));
    await deps.flows.savePending(pending.state, { uid: flow.uid, method, browser: flow.browser, login: pending }, timeouts.upstream);
    flow.method = method;
    await moveTo(flow, 'upstream', timeouts.upstream);
    res.redirect(303, url);
  }

  /** Runs a step; any failure becomes the flow's error page with retry and back-to-system. */
  function step(event: string, handler: StepHandler) {
    return async (req: Request, res: Response) => {
      deps.metrics.timeStep(event, res);
      let flow: Flow | undefined;
      try {
        await handler(req, res, (f) => (flow = f));
      } catch (error) {
        const context = flow ? flowFailure(deps, flow, event, csrfToken(req)) : { event };
        if (flow) {
          flow.step = 'failed';
          flow.lastError = error instanceof BrokerError ? error.code : 500;
          await deps.flows.save(flow).catch(() => undefined);
        }
        await deps.fail(req, res, error, context);
      }
    };
  }

  /** A step of an existing flow: loads it for this browser and checks step and deadline first. */
  function flowStep(event: string, steps: Step[], expired: ErrorCode, handler: (req: Request, res: Response, flow: Flow) => Promise<void>) {
    return step(event, async (req, res, setFlow) => {
      const flow = await loadFlow(req);
      setFlow(flow);
      expectStep(req, flow, steps, expired);
      await handler(req, res, flow);
    });
  }

  /** The login method a form chose: it must exist and be allowed for the flow's client. */
  function chosenMethod(req: Request, flow: Flow): string {
    const method = single((req.body as Record<string, unknown> | undefined)?.method);
    const client = deps.config.clients.find((c) => c.client_id === flow.clientId);
    if (!method || !client) throw new BrokerError(5004, { detail: 'no method chosen' });
    assertMethodAllowed(deps.config, client, method);
    return method;
  }

  /** Renders a page of a flow, branded for its client, in its language. */
  function render(req: Request, res: Response, flow: Flow, view: string, titleKey: string, data: Record<string, unknown>, extra: { status?: number; errorCode?: number } = {}): void {
    deps.pages.render(req, res, view, { csrf: csrfToken(req), ...data }, { titleKey, brand: brandOf(deps, flow.clientId), uiLocales: flow.uiLocales, ...extra });
  }

  /** The chooser and the link page: one button per method the client allows, linked ones disabled. */
  function renderMethods(req: Request, res: Response, flow: Flow, keys: string, action: string, options: { linked?: Set<string>; finish?: string } = {}): void {
    const client = deps.config.clients.find((c) => c.client_id === flow.clientId);
    const methods = deps.config.upstreams
      .filter((u) => client?.login_methods.includes(u.id))
      .map((u) => ({ id: u.id, name: u.display_name, disabled: options.linked?.has(u.id) ?? false }));
    const system = client?.display_name ?? '';
    const page = deps.pages.page(req, res, { titleKey: `${keys}.title`, uiLocales: flow.uiLocales });
    render(req, res, flow, 'chooser', `${keys}.title`, {
      heading: page.t(`${keys}.heading`, { system }),
      intro: page.t(`${keys}.intro`, { system }),
      action,
      finish: options.finish,
      methods,
    });
  }

  return { form, loadFlow, expectStep, moveTo, goUpstream, step, flowStep, chosenMethod, render, renderMethods, timeouts };
}

export type FlowKit = ReturnType<typeof flowKit>;
