import { BrokerError } from '../errors/broker-error.ts';
import { DIALECTS, isDialectName } from '../upstream/dialects/index.ts';

/**
 * Whether an upstream's error answer is the user's own cancel: a dialect row marked `cancel` (MitID
 * `cancel`/`mitid_user_aborted`/`user_aborted`, NemID CAN002 and CAN007, OneSpan 1127), or a plain
 * `access_denied` without a reason from an upstream that speaks only OAuth (`oidc` dialect).
 */
export function isUserCancel(error: unknown): boolean {
  if (!(error instanceof BrokerError) || !error.upstream) return false;
  const { dialect, reason, row, error: oauthError } = error.upstream;
  if (!isDialectName(dialect)) return false;
  // An `error_aliases` entry acts exactly like the row it names, a cancel too.
  const key = row ?? reason;
  if (key !== undefined) {
    const rows = DIALECTS[dialect].rows;
    return Object.hasOwn(rows, key) && rows[key]?.cancel === true;
  }
  return dialect === 'oidc' && oauthError === 'access_denied';
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
