import type { Action } from '../actions.ts';
import type { NsisLevel } from '../assurance.ts';
import { BrokerError } from '../errors/broker-error.ts';
import type { ErrorCode } from '../errors/catalogue.ts';
import type { EphemeralStore } from '../store/ephemeral/ephemeral-store.ts';
import type { PendingUpstreamLogin, UpstreamIdentity } from '../upstream/connector.ts';
import { parseFlowRecord, type FlowRecordProblem } from './flow-record.ts';
import type { CprConfirmation, RequestedAuthentication } from './release-gate.ts';

/**
 * An upstream identity as a flow may keep it: the CPR number only as its keyed fingerprint, the time
 * of the login always known, and the CPR the user typed once the CPR form confirmed it.
 */
export type StoredIdentity = Omit<UpstreamIdentity, 'cpr' | 'authTime'> & {
  cprFingerprint?: string | undefined;
  authTime: number;
  cprConfirmation?: CprConfirmation | undefined;
};

/** Why the chooser asks for a new login although the browser has a session: the level it must reach, and the session's. */
export interface StepUp {
  required: NsisLevel;
  reached?: NsisLevel | undefined;
}

/** A link flow's proof of the account: the verification login of this flow and when it happened. */
export interface Verification {
  accountId: string;
  at: number;
  identity: StoredIdentity;
}

/** What every flow has, whatever its step: which interaction, client, tenant, action and browser. */
export interface FlowBase {
  uid: string;
  clientId: string;
  tenant: string;
  action: Action;
  uiLocales?: string | undefined;
  /** The RP's `login_hint`, passed on to every upstream login of the flow. */
  loginHint?: string | undefined;
  browser: string;
  /** What the system's request asks of the login: level, `max_age`, `prompt=login`. */
  requested: RequestedAuthentication;
  /** Milliseconds since the epoch when the current step's time runs out. */
  stepExpiresAt: number;
}

/**
 * One login attempt, keyed by the oidc-provider interaction id (like a Kratos flow): a step and exactly
 * the fields that step has. Two tabs are two flows. Only `transitions.ts` makes one from another.
 */
export type FlowStep =
  /**
   * The method chooser; `cancelled` names the login method the user just cancelled at, and `stepUp` the
   * level the browser's session lacks for this system, for the notice.
   */
  | { step: 'choose'; cancelled?: string | undefined; stepUp?: StepUp | undefined; verified?: undefined }
  /**
   * At the upstream, with the secrets of that login until its callback (its `state` leads the callback
   * here, see page-token.ts); a link flow adding a method carries its verification along.
   */
  | { step: 'upstream'; method: string; login: PendingUpstreamLogin; verified?: Verification | undefined }
  | { step: 'first-login-form'; identity: StoredIdentity }
  /** `justLinked`: the method linked by the last upstream login, for the confirmation. */
  | { step: 'link-page'; verified: Verification; justLinked?: string | undefined }
  /**
   * The CPR form, where the release rules need the typed number. A first-time login keeps the
   * invitation it will redeem; a link flow its verification time, for the link page that follows.
   */
  | { step: 'cpr'; accountId: string; identity: StoredIdentity; attempts: number; invitationId?: string | undefined; verifiedAt?: number | undefined }
  /** Ended (logged in, cancelled or sent back with an error): back or reload shows "already finished". */
  | { step: 'done' }
  /**
   * The last authentic request failed with `code`; a link flow keeps its verification for the way back,
   * and a 6001 for an identity linked to no account keeps that identity for a first-time login, until
   * the form's own time limit, so the user need not log in upstream again.
   */
  | { step: 'failed'; code: ErrorCode; verified?: Verification | undefined; unlinked?: { identity: StoredIdentity; until: number } | undefined };

export type Step = FlowStep['step'];
export type Flow = FlowBase & FlowStep;
export type FlowAt<S extends Step> = FlowBase & Extract<FlowStep, { step: S }>;

const FLOW_TTL_SECONDS = 3600;
/** A finished flow is kept only for back and reload right after it ("already finished"), not its whole hour. */
const FINISHED_TTL_SECONDS = 600;

export class FlowStore {
  private readonly store: EphemeralStore;

  constructor(store: EphemeralStore) {
    this.store = store;
  }

  /** The flow of an interaction; one stored in a shape this version does not read throws (flow-record.ts). */
  async get(uid: string): Promise<Flow | undefined> {
    return parsed(await this.store.get<unknown>(`flow:${uid}`));
  }

  save(flow: Flow): Promise<void> {
    return this.store.set(`flow:${flow.uid}`, { ...flow, version: FLOW_VERSION }, flow.step === 'done' ? FINISHED_TTL_SECONDS : FLOW_TTL_SECONDS);
  }

  /**
   * Takes the flow out of the store for an upstream callback, which puts it back in its next step: a
   * second callback with the same `state` at the same time finds nothing, so an upstream login is
   * finished at most once.
   */
  async take(uid: string): Promise<Flow | undefined> {
    return parsed(await this.store.take<unknown>(`flow:${uid}`));
  }
}

/** The shape of the flows this version writes; a record of another is refused rather than guessed at. */
export const FLOW_VERSION = 2;

function parsed(record: unknown): Flow | undefined {
  if (record === undefined) return undefined;
  const result = parseFlowRecord(record, FLOW_VERSION);
  if ('flow' in result) return result.flow;
  throw new OldFlowError(result);
}

/**
 * A flow stored in a shape this version cannot read, e.g. by an older instance during a rolling
 * deploy: the login ends on a clean page (3001) with the way back to its system, never an exception.
 */
export class OldFlowError extends BrokerError {
  readonly origin: FlowRecordProblem['origin'];

  constructor(problem: FlowRecordProblem) {
    super(3001, { variant: 'upgraded', detail: `flow record not readable by this version: ${problem.detail}` });
    this.origin = problem.origin;
  }
}
