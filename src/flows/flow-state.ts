import type { EphemeralStore } from '../store/ephemeral/ephemeral-store.ts';
import type { PendingUpstreamLogin, UpstreamIdentity } from '../upstream/connector.ts';

export const ACTIONS = ['login', 'first-login', 'link'] as const;
export type Action = (typeof ACTIONS)[number];

/** Where a flow stands; each step has its own deadline and its own code when it passes. */
export type Step = 'choose' | 'upstream' | 'first-login-form' | 'link-page' | 'cpr' | 'failed';

/**
 * One login attempt, keyed by the oidc-provider interaction id (like a Kratos flow): explicit step,
 * explicit expiry, and the browser it belongs to. Two tabs are two flows.
 */
export interface Flow {
  uid: string;
  clientId: string;
  tenant: string;
  action: Action;
  uiLocales?: string | undefined;
  /** The RP's `login_hint`, passed on to the upstream. */
  loginHint?: string | undefined;
  step: Step;
  stepExpiresAt: number;
  browser: string;
  method?: string | undefined;
  /** The upstream identity waiting for a first-time login or a CPR match; never leaves the server. */
  identity?: (UpstreamIdentity & { cprFingerprint?: string | undefined }) | undefined;
  /** The account proven in this flow (link flow's verification login, or a CPR match in progress). */
  accountId?: string | undefined;
  verifiedAt?: number | undefined;
  cprAttempts?: number | undefined;
  lastError?: number | undefined;
}

/** The upstream half of a flow, keyed by the upstream `state`, single use. */
export interface PendingCallback {
  uid: string;
  method: string;
  browser: string;
  login: PendingUpstreamLogin;
}

const FLOW_TTL_SECONDS = 3600;

export class FlowStore {
  private readonly store: EphemeralStore;

  constructor(store: EphemeralStore) {
    this.store = store;
  }

  get(uid: string): Promise<Flow | undefined> {
    return this.store.get<Flow>(`flow:${uid}`);
  }

  save(flow: Flow): Promise<void> {
    return this.store.set(`flow:${flow.uid}`, flow, FLOW_TTL_SECONDS);
  }

  delete(uid: string): Promise<void> {
    return this.store.delete(`flow:${uid}`);
  }

  savePending(state: string, pending: PendingCallback, ttlSeconds: number): Promise<void> {
    return this.store.set(`pending:${state}:${pending.browser}`, pending, ttlSeconds);
  }

  /**
   * Takes the pending login for a callback, for the browser that started it only (the browser is
   * part of the key): a replayed state finds nothing, and another browser's attempt leaves it to its owner.
   */
  takePending(state: string, browser: string): Promise<PendingCallback | undefined> {
    return this.store.take<PendingCallback>(`pending:${state}:${browser}`);
  }
}
