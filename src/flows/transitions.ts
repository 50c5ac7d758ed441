import type { Config } from '../config/model.ts';
import { BrokerError } from '../errors/broker-error.ts';
import type { ErrorCode } from '../errors/catalogue.ts';
import type { Action } from '../actions.ts';
import type { Flow, FlowAt, FlowBase, FlowStep, Step, StoredIdentity } from './flow-state.ts';
import { carried, stepSeconds } from './steps.ts';

type Timeouts = Config['timeouts'];

const LIVE: readonly Step[] = ['choose', 'upstream', 'first-login-form', 'link-page', 'cpr', 'failed'];

export interface EventRule {
  /** The steps the event may happen in. */
  from: readonly Step[];
  /** The steps it may lead to; none for an event that only shows the current step. */
  to: readonly Step[];
  /** The code when the flow is in another step or the step's time has run out; none: no deadline applies. */
  late?: ErrorCode;
  /** The action the flow goes on as, where the event changes it. */
  becomes?: Action;
}

/**
 * The transition table of every flow (docs/flows.md, "Steps and events"). A route names its event; the event, not the
 * route, says in which steps it may happen, where it may lead and which code a late or out-of-order
 * request gets.
 */
export const EVENTS = {
  /** The chooser anew: a reload, back from the upstream, or "try again" after a failure. */
  'show-chooser': { from: ['choose', 'upstream', 'failed'], to: ['choose'] },
  'choose-method': { from: ['choose'], to: ['upstream'], late: 3001 },
  /** A login of the browser's session released at once (single sign-on), before the chooser is shown. */
  'sso-release': { from: ['choose'], to: ['done'] },
  /**
   * The upstream's answer: an identity goes on to the code, the CPR form, the first-time-login form
   * or the link page; the user's cancel goes back to where the method was chosen, the flow alive.
   */
  'upstream-return': { from: ['upstream'], to: ['done', 'cpr', 'first-login-form', 'link-page', 'choose'], late: 3002 },
  'show-first-login': { from: ['first-login-form'], to: [], late: 6000 },
  'submit-first-login': { from: ['first-login-form'], to: ['done', 'cpr'], late: 6000 },
  'show-cpr': { from: ['cpr'], to: [], late: 4001 },
  /** A confirmed CPR releases the login, or in a link flow leads to the link page. */
  'submit-cpr': { from: ['cpr'], to: ['cpr', 'done', 'link-page'], late: 4000 },
  /** The link page again: a reload, back from the upstream, or "try again" after a refused link. */
  'show-link-page': { from: ['link-page', 'upstream', 'failed'], to: ['link-page'], late: 4100 },
  'link-method': { from: ['link-page'], to: ['upstream'], late: 4100 },
  'finish-link': { from: ['link-page'], to: ['done', 'cpr'], late: 4100 },
  /**
   * "Start førstegangslogin" on a 6001 page: the same interaction as a first-time login, at its form
   * with the identity just logged in, or at the chooser once that has expired.
   */
  'start-first-login': { from: ['failed'], to: ['first-login-form', 'choose'], becomes: 'first-login' },
  /** "Log ind" on a 6002 page of a first-time login: the same interaction as a plain login, at the chooser. */
  'start-login': { from: ['failed'], to: ['choose'], becomes: 'login' },
  /** "Annullér" or "back to the system": allowed in every live step, even after its time ran out. */
  abort: { from: LIVE, to: ['done'] },
  /** An authentic request failed: the flow keeps only the code (and a link flow its verification). */
  fail: { from: LIVE, to: ['failed'] },
} as const satisfies Record<string, EventRule>;

export type FlowEvent = keyof typeof EVENTS;

/** Refuses an event the flow's step does not allow, or one that comes after the step's deadline. */
export function assertEventAllowed(flow: Flow, event: FlowEvent, now: number): void {
  const rule: EventRule = EVENTS[event];
  if (!rule.from.includes(flow.step)) {
    throw new BrokerError(rule.late ?? 3002, { detail: `${event} not allowed at step ${flow.step}` });
  }
  if (rule.late !== undefined && flow.stepExpiresAt < now) throw new BrokerError(rule.late, { detail: `step ${flow.step} expired before ${event}` });
}

/**
 * The one way a flow changes: the same flow in its next step, with that step's fields only and a
 * fresh deadline. The loaded flow is never modified.
 */
export function applyEvent(flow: Flow, event: FlowEvent, next: FlowStep, now: number, timeouts: Timeouts): Flow {
  const rule: EventRule = EVENTS[event];
  if (!rule.from.includes(flow.step) || !rule.to.includes(next.step)) {
    throw new BrokerError(500, { detail: `illegal transition ${flow.step} → ${next.step} on ${event}` });
  }
  return startStep({ ...flow, action: rule.becomes ?? flow.action }, next, now, timeouts);
}

/** A flow's base fields with a step and its deadline: a new flow, or the result of a checked event. */
export function startStep(base: Omit<FlowBase, 'stepExpiresAt'>, next: FlowStep, now: number, timeouts: Timeouts): Flow {
  const { uid, clientId, tenant, action, uiLocales, loginHint, browser, requested } = base;
  return { uid, clientId, tenant, action, uiLocales, loginHint, browser, requested, ...next, stepExpiresAt: now + stepSeconds(next.step, timeouts) * 1000 };
}

/**
 * What a failure leaves of a flow: the code, a link flow's verification so its link page stays
 * reachable (unless the failure is that the link flow is over, 4100), and an identity linked to no
 * account while a first-time login may still use it.
 */
export function failedStep(flow: Flow, code: ErrorCode, unlinked?: { identity: StoredIdentity; until: number }): FlowStep {
  return { step: 'failed', code, verified: code === 4100 ? undefined : carried(flow, 'verification'), unlinked };
}

/** The flow as the step an event's table row guarantees (a handler runs only after `assertEventAllowed`). */
export function inStep<S extends Step>(flow: Flow, ...steps: S[]): FlowAt<S> {
  if (!(steps as Step[]).includes(flow.step)) throw new BrokerError(500, { detail: `handler for ${steps.join('|')} ran at ${flow.step}` });
  return flow as FlowAt<S>;
}
