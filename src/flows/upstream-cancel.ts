import { BrokerError } from '../errors/broker-error.ts';

/**
 * Whether an upstream's error answer is the user's own cancel, as its dialect read it (a row marked
 * `cancel`, e.g. MitID `user_aborted` or NemID CAN002, an `error_aliases` entry naming one, or a plain
 * `access_denied` from an upstream that speaks only OAuth).
 */
export function isUserCancel(error: unknown): boolean {
  return error instanceof BrokerError && error.upstream?.userCancel === true;
}

/** An interaction ended without a login: what the system's redirect URI receives. */
export type InteractionError = {
  error: 'access_denied';
  error_description: string;
};

/** What the RP's redirect URI receives when the user leaves with "Annullér" (docs/relying-parties.md, "What the system receives"). */
export const USER_CANCEL = { error: 'access_denied', error_description: 'Portvagt user cancelled' } as const;

/** What the RP receives when the user goes back to it from an error page: the catalogue code, numeric. */
export function errorResult(code: number) {
  return { error: 'access_denied', error_description: `Portvagt error ${code}` } as const;
}
