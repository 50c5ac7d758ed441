import type { Request } from 'express';
import type { BrokerError } from '../errors/broker-error.ts';
import { elsewhere } from '../errors/elsewhere.ts';
import { browserOf } from '../http/browser-cookies.ts';
import type { FailureContext } from '../outcomes/error-page.ts';
import { brandOf, type FlowDeps } from './flow-context.ts';
import { OldFlowError, type Flow } from './flow-state.ts';

/**
 * A request for a flow of another browser id. One that brought no Portvagt cookie at all and yet
 * carries the flow's own CSRF token came from the page Portvagt gave this very browser: its cookie was
 * refused or deleted. Any other is another browser.
 */
export function foreignRequest(req: Request, sameBrowserProof: boolean): BrokerError {
  if (!browserOf(req).returning && sameBrowserProof) return elsewhere('cookies', 'the page of this flow came back without its browser cookie');
  return elsewhere('otherBrowser', 'flow of another browser');
}

/**
 * The failure context of a flow seen from a browser that is not its own: branded for the flow's system,
 * but without the flow itself, whose "try again" and "back" belong to the browser that started it.
 */
export function foreignFailure(deps: FlowDeps, flow: Partial<Pick<Flow, 'clientId' | 'tenant' | 'uiLocales'>>, route: string): FailureContext {
  return { route, clientId: flow.clientId, tenant: flow.tenant, brand: brandOf(deps, flow.clientId), uiLocales: flow.uiLocales };
}

/**
 * The failure context of an error before the flow could be read: a flow stored by another version is
 * still branded for its system (what little of it can be read), so its page leads back there.
 */
export function failureContext(deps: FlowDeps, error: unknown, route: string): FailureContext {
  return error instanceof OldFlowError ? foreignFailure(deps, error.origin, route) : { route };
}
