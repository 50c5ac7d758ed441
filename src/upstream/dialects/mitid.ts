/**
 * The `mitid` dialect: MitID and MitID Erhverv through a certified MitID broker speaking OIDC. Each
 * broker words its failures its own way, so the table collects the values of several brokers
 * (shared/research/mitid-dialect.md) and stays open for more.
 *
 * Wire format: a plain OAuth `error` plus the broker's label, found in this order:
 *   1. `error_description=base64UrlEnc-<base64url JSON {"Description","Displayed","Code"}>` (the
 *      wrapper seen at Danish bank OAuth services): `Code` is the label. A wrapper that does not
 *      decode (bad base64, bad JSON, no string `Code`, over 8 kB) is ignored, never an exception.
 *   2. `error_description` or `error` holding a label this table knows (IN Groupe puts labels such
 *      as `cancel` there, Signaturgruppen `mitid_user_aborted`, Idura `MITID_NONCE_COOKIE_MISSING`).
 *   3. A label-shaped `error_description` (one token, no spaces, at most 64 characters), or a
 *      non-standard `error`, that the table does not know: returned as an unknown reason, so it
 *      becomes 5501 and is logged. Free text and the standard OAuth codes are not reasons.
 * Keys are the label trimmed, lower-cased, with whitespace runs as `_` ("MitID Core Client error" →
 * `mitid_core_client_error`). `encode` sends `error=access_denied&error_description=<label>` in the
 * broker's own spelling.
 *
 * Sources of the rows:
 *   - IN Groupe E-Ident (formerly Nets), doc.ingroupe.com/developer/error-codes: cancel, authfailed,
 *     generalerror, inpro, idexpired, illegalcert, blankcvr, get_ssn_error, match_ssn_error.
 *   - Idura (Criipto) Verify, docs.idura.app/verify/reference/errors: MITID_NONCE_COOKIE_MISSING,
 *     MITID_NONCE_COOKIE_MALFORMED, "MitID Core Client error".
 *   - Signaturgruppen (Nets eID Broker) OIDC integration guide: mitid_user_aborted.
 *   - Portvagt's own names, in Signaturgruppen's style, for the MitID outcomes the guide asks the
 *     broker to explain but no published broker list above names: mitid_authenticator_blocked_temporarily,
 *     mitid_authenticator_blocked_permanently, mitid_authenticator_revoked, mitid_identity_not_allowed,
 *     mitid_assurance_level_not_met, mitid_technical_error. A broker that reports these under other
 *     names gets rows for those names pointing at the same guidance.
 */
import type { Dialect, DialectRow } from './dialect.ts';
import { param } from './normalise.ts';
import { OAUTH_ERROR_CODES } from './oidc.ts';

interface MitidRow extends DialectRow {
  /** How the broker writes the label on the wire, where that differs from the key. */
  spelling?: string;
}

const CANCELLED: MitidRow = { code: 5500, guidance: 'mitid.cancelled', cancel: true };
const TECHNICAL: MitidRow = { code: 5501, guidance: 'mitid.technical' };
const IDENTITY_NOT_ALLOWED: MitidRow = { code: 5502, guidance: 'mitid.identityNotAllowed' };

const ROWS: Readonly<Record<string, MitidRow>> = {
  // IN Groupe E-Ident
  cancel: CANCELLED,
  authfailed: { code: 5500, guidance: 'mitid.authFailed' },
  generalerror: TECHNICAL,
  inpro: { code: 5500, guidance: 'mitid.inProgress' },
  idexpired: { code: 5502, guidance: 'mitid.idExpired' },
  illegalcert: IDENTITY_NOT_ALLOWED,
  blankcvr: { code: 5502, guidance: 'mitid.noCompany' },
  get_ssn_error: { code: 5501, guidance: 'mitid.cprLookup' },
  match_ssn_error: { code: 5500, guidance: 'mitid.cprMismatch' }, // a mistyped CPR can be typed again

  // Idura Verify
  mitid_nonce_cookie_missing: { code: 5500, guidance: 'mitid.cookie', spelling: 'MITID_NONCE_COOKIE_MISSING' },
  mitid_nonce_cookie_malformed: { code: 5501, guidance: 'mitid.cookie', spelling: 'MITID_NONCE_COOKIE_MALFORMED' },
  mitid_core_client_error: { ...TECHNICAL, spelling: 'MitID Core Client error' },

  // Signaturgruppen (Nets eID Broker)
  mitid_user_aborted: CANCELLED,

  // Portvagt's names for outcomes the MitID help pages describe (see the header)
  mitid_authenticator_blocked_temporarily: { code: 5502, guidance: 'mitid.blockedTemporarily' },
  mitid_authenticator_blocked_permanently: { code: 5502, guidance: 'mitid.blockedPermanently' },
  mitid_authenticator_revoked: { code: 5502, guidance: 'mitid.revoked' },
  mitid_identity_not_allowed: IDENTITY_NOT_ALLOWED,
  mitid_assurance_level_not_met: { code: 5502, guidance: 'mitid.assuranceLevel' },
  mitid_technical_error: TECHNICAL,
};

const WRAPPER_PREFIX = /^base64UrlEnc-/i;
const MAX_WRAPPED_LENGTH = 8192;
const BASE64 = /^[A-Za-z0-9_\-+/]*={0,2}$/;
const LABEL = /^[A-Za-z0-9_.:-]{1,64}$/;

function key(label: string): string {
  return label.trim().toLowerCase().replace(/\s+/g, '_');
}

/** The `Code` inside a `base64UrlEnc-` wrapper, or undefined for anything that does not decode. */
function unwrap(description: string): string | undefined {
  let body = description.slice('base64UrlEnc-'.length);
  if (body.length > MAX_WRAPPED_LENGTH) return undefined;
  try {
    // Some services URL-encode the padding once more than the query string needs.
    if (body.includes('%')) body = decodeURIComponent(body);
    if (!BASE64.test(body)) return undefined;
    const parsed: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    const code = typeof parsed === 'object' && parsed !== null ? (parsed as { Code?: unknown }).Code : undefined;
    return typeof code === 'string' && code.trim() !== '' ? code : undefined;
  } catch {
    return undefined;
  }
}

const known = (label: string | undefined): label is string => label !== undefined && Object.hasOwn(ROWS, key(label));
const labelShaped = (value: string | undefined): value is string =>
  value !== undefined && LABEL.test(value) && !OAUTH_ERROR_CODES.has(value.toLowerCase());

export const mitid: Dialect = {
  name: 'mitid',
  rows: ROWS,
  reason(params) {
    const error = param(params, 'error');
    let description = param(params, 'error_description');
    if (description !== undefined && WRAPPER_PREFIX.test(description)) {
      const code = unwrap(description);
      if (code !== undefined) return key(code);
      description = undefined;
    }
    if (known(description)) return key(description);
    if (known(error)) return key(error);
    if (labelShaped(description)) return key(description);
    if (labelShaped(error)) return key(error);
    return undefined;
  },
  encode(reason) {
    const spelling = Object.hasOwn(ROWS, reason) ? ROWS[reason]!.spelling : undefined;
    return { error: 'access_denied', error_description: spelling ?? reason };
  },
};
