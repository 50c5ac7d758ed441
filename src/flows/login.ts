import type { Request, Response } from 'express';
import { findLinkedAccount } from '../accounts/identity-operations.ts';
import { cprFingerprint } from '../accounts/cpr.ts';
import type { UpstreamIdentity } from '../upstream/connector.ts';
import type { FlowDeps } from './flow-context.ts';
import type { StepResult } from './flow-kit.ts';
import type { Flow, StoredIdentity } from './flow-state.ts';
import { releaseLogin } from './release.ts';

/**
 * What a flow may keep of an upstream identity: the CPR number only as its keyed fingerprint, and the
 * login's time (the upstream's `auth_time`, else when its answer arrived).
 */
export function storableIdentity(deps: FlowDeps, identity: UpstreamIdentity): StoredIdentity {
  const { cpr, authTime, ...rest } = identity;
  return { ...rest, authTime: authTime ?? deps.clock(), cprFingerprint: cpr ? cprFingerprint(deps.config.secrets, cpr) : undefined };
}

export function onLoginIdentity(deps: FlowDeps) {
  return async (_req: Request, res: Response, flow: Flow, identity: UpstreamIdentity): Promise<StepResult> => {
    const account = await findLinkedAccount(deps.accounts, identity);
    return releaseLogin(deps, res, flow, account, storableIdentity(deps, identity));
  };
}
