import type { Request } from 'express';
import { BrokerError } from '../errors/broker-error.ts';
import { OWN_ADVICE } from '../errors/own-guidance.ts';
import { browserOf } from '../http/browser-cookies.ts';
import type { FailureContext } from '../http/error-page.ts';
import { brandOf, type FlowDeps } from './flow-context.ts';
import type { Flow } from './flow-state.ts';

/**
 * Why a flow's address cannot go on in this browser, each a wording of 3002 (`codes.3002.variants.*`):
 * - `otherBrowser`: the flow exists and belongs to another browser (the MitID app returned to the
 *   phone's default browser, or the address was opened elsewhere);
 * - `cookies`: this browser did not send back the cookie Portvagt gave it (found, not guessed: the
 *   request proves it is the page's own browser, or a cookie just set did not come back);
 * - `unknownLink`: nothing lives at the address (never existed, or expired after an hour).
 * Nothing here changes a flow: the login is never finished in a browser that did not start it.
 */
export const ELSEWHERE = ['otherBrowser', 'cookies', 'unknownLink'] as const;
export type Elsewhere = (typeof ELSEWHERE)[number];

export function elsewhere(variant: Elsewhere, detail: string): BrokerError {
  return new BrokerError(3002, { variant, advice: OWN_ADVICE.elsewhere, detail });
}

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
export function foreignFailure(deps: FlowDeps, flow: Pick<Flow, 'clientId' | 'tenant' | 'uiLocales'>, event: string): FailureContext {
  return { event, clientId: flow.clientId, tenant: flow.tenant, brand: brandOf(deps, flow.clientId), uiLocales: flow.uiLocales };
}
