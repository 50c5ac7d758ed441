import { BrokerError } from './broker-error.ts';
import { OWN_ADVICE } from './own-guidance.ts';

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
