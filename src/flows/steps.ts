import type { Config } from '../config/model.ts';
import type { FlowPage } from '../http/flow-url.ts';
import type { Flow, FlowAt, Step, Verification } from './flow-state.ts';

type Timeouts = Config['timeouts'];

/** What a step's flow carries that others ask about: the link flow's verification, the login method, the account. */
interface Carried {
  verification: Verification;
  method: string;
  account: string;
}

interface StepRule<S extends Step> {
  /** How long a flow may stay in the step, from the configured timeouts (seconds). */
  seconds: (t: Timeouts) => number;
  /** The page the flow's own address leads to in this step (back or reload mid-flow); none: the chooser. */
  page?: (flow: FlowAt<S>) => FlowPage | undefined;
  carries: { [K in keyof Carried]?: (flow: FlowAt<S>) => Carried[K] | undefined };
}

// Long enough for back, reload and "try again" to find the flow and tell the truth.
const LINGER_SECONDS = 3600;

/** The step table (docs/flows.md, "Steps"): each step's deadline, page, and what it carries. */
export const STEPS: { [S in Step]: StepRule<S> } = {
  choose: { seconds: (t) => t.chooser, carries: {} },
  upstream: {
    seconds: (t) => t.upstream,
    page: (flow) => (flow.verified ? 'link' : undefined),
    carries: { verification: (flow) => flow.verified, method: (flow) => flow.method },
  },
  'first-login-form': { seconds: (t) => t.first_login, page: () => 'first-login', carries: { method: (flow) => flow.identity.method } },
  'link-page': { seconds: (t) => t.link, page: () => 'link', carries: { verification: (flow) => flow.verified, account: (flow) => flow.verified.accountId } },
  cpr: { seconds: (t) => t.cpr, page: () => 'cpr', carries: { method: (flow) => flow.identity.method, account: (flow) => flow.accountId } },
  done: { seconds: () => LINGER_SECONDS, carries: {} },
  failed: { seconds: () => LINGER_SECONDS, page: (flow) => (flow.verified ? 'link' : undefined), carries: { verification: (flow) => flow.verified } },
};

/** The rule of a flow's own step (the table is keyed by step; TypeScript cannot pair the two by itself). */
const ruleOf = (flow: Flow) => STEPS[flow.step] as StepRule<Step> as { seconds: StepRule<Step>['seconds']; page?: (flow: Flow) => FlowPage | undefined; carries: { [K in keyof Carried]?: (flow: Flow) => Carried[K] | undefined } };

/** What the flow carries in its current step, by the step table. */
export function carried<K extends keyof Carried>(flow: Flow, what: K): Carried[K] | undefined {
  return ruleOf(flow).carries[what]?.(flow);
}

/** The page of the flow's current step, if it has one of its own. */
export function pageOf(flow: Flow): FlowPage | undefined {
  return ruleOf(flow).page?.(flow);
}

export function stepSeconds(step: Step, timeouts: Timeouts): number {
  return STEPS[step].seconds(timeouts);
}
