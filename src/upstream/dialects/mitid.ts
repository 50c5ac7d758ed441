/**
 * The `mitid` dialect: MitID and MitID Erhverv through a certified MitID broker speaking OIDC. Each
 * broker words its failures its own way, so the table collects the values of several brokers
 * (docs/mitid-brokers.md, Sources) and stays open for more: `error_aliases` in an upstream's
 * configuration maps a new broker's value to one of these rows without a code change.
 *
 * Wire format: a plain OAuth `error` plus the broker's label, found in this order:
 *   1. `error_description=base64UrlEnc-<base64url JSON {"Description","Displayed","Code"}>` (the
 *      wrapper seen at Danish bank OAuth services): `Code` is the label. A wrapper that does not
 *      decode (bad base64, bad JSON, no string `Code`, over 8 kB) is ignored, never an exception.
 *   2. `error_description` or `error` holding a label this table knows, alone or at the start of free
 *      text (`mitid_user_aborted: the user pressed cancel`); the longest known label wins.
 *   3. A label-shaped `error_description` (one token, no spaces, at most 64 characters), or a
 *      non-standard `error`, that the table does not know: returned as an unknown reason, so it
 *      becomes 5501 and is logged. Free text and the standard OAuth codes are not reasons.
 * Keys are the label trimmed, lower-cased, with runs of whitespace and `-` as `_` ("MitID Core Client
 * error" → `mitid_core_client_error`, `mitid-user-aborted` → `mitid_user_aborted`). `encode` sends
 * `error=access_denied&error_description=<label>` in the broker's own spelling.
 *
 * Sources of the rows:
 *   - IN Groupe E-Ident (formerly Nets), doc.ingroupe.com/developer/error-codes.
 *   - Idura (Criipto) Verify, docs.idura.app/verify/reference/errors.
 *   - Signaturgruppen (Nets eID Broker), its public error catalogue (research, 2026-12).
 *   - Signicat's abort code `IDP-3200` (seen for another national eID; inferred for MitID).
 *   - OpenID Connect Core's `unmet_authentication_requirements` (the requested level was not met).
 *   - Portvagt's own names for MitID outcomes no broker reports distinctly (a blocked or revoked
 *     authenticator, a level too low): no broker sends them, they are targets for `error_aliases`.
 * No broker reports a blocked authenticator: MitID blocks it inside its own client and the user gives
 * up. The pages of the answers a blocked user ends with (cancel aside: every MitID 3003, 5500 and 5502)
 * therefore link the help page's MitID section.
 */
import type { Dialect, DialectRow } from './dialect.ts';
import { param } from './normalise.ts';
import { OAUTH_ERROR_CODES } from './oidc.ts';

interface MitidRow extends DialectRow {
  /** How the broker writes the label on the wire, where that differs from the key. */
  spelling?: string;
}

const CANCELLED: MitidRow = { code: 5500, guidance: 'mitid.cancelled', retry: true, cancel: true };
const TECHNICAL: MitidRow = { code: 5501, guidance: 'mitid.technical', retry: true };
const INTEGRATION: MitidRow = { code: 5501, guidance: 'mitid.integration', retry: false, integration: true };
const NAVIGATION: MitidRow = { code: 5500, guidance: 'mitid.navigation', retry: true };
const CPR_MISMATCH: MitidRow = { code: 5500, guidance: 'mitid.cprMismatch', retry: true };
const NO_COMPANY: MitidRow = { code: 5502, guidance: 'mitid.noCompany', retry: true };
const IDENTITY_NOT_ALLOWED: MitidRow = { code: 5502, guidance: 'mitid.identityNotAllowed', retry: true };
const ASSURANCE_LEVEL: MitidRow = { code: 5502, guidance: 'mitid.assuranceLevel', retry: true, help: 'mitid' };
const MITID_SUPPORT = { retry: false, contact: 'upstream', help: 'mitid' } as const;

const ROWS: Readonly<Record<string, MitidRow>> = {
  // IN Groupe E-Ident
  cancel: CANCELLED,
  authfailed: { code: 5500, guidance: 'mitid.authFailed', retry: true, help: 'mitid' },
  generalerror: TECHNICAL,
  inpro: { code: 5500, guidance: 'mitid.inProgress', retry: true },
  idexpired: { code: 5502, guidance: 'mitid.idExpired', retry: false },
  illegalcert: IDENTITY_NOT_ALLOWED,
  blankcvr: NO_COMPANY,
  get_ssn_error: { code: 5501, guidance: 'mitid.cprLookup', retry: true },
  match_ssn_error: CPR_MISMATCH, // a mistyped CPR can be typed again

  // Idura Verify
  mitid_nonce_cookie_missing: { code: 5500, guidance: 'mitid.cookie', retry: true, spelling: 'MITID_NONCE_COOKIE_MISSING' },
  mitid_nonce_cookie_malformed: { code: 5501, guidance: 'mitid.cookie', retry: true, spelling: 'MITID_NONCE_COOKIE_MALFORMED' },
  mitid_core_client_error: { ...TECHNICAL, spelling: 'MitID Core Client error' },

  // Signaturgruppen (Nets eID Broker): aborts and declines in every step are the user's cancel.
  mitid_user_aborted: CANCELLED,
  user_aborted: CANCELLED,
  mitid_erhverv_user_aborted: CANCELLED,
  private_to_business_user_aborted: CANCELLED,
  privilege_cvr_select_user_aborted: CANCELLED,
  workflow_signing_aborted: CANCELLED,
  declined_user_consent: CANCELLED,
  // Gave up after failed attempts: the closest a broker comes to saying "blocked".
  mitid_core_client_error_user_abort: { code: 5500, guidance: 'mitid.gaveUp', retry: true, help: 'mitid' },
  mitid_cpr_match_failed: CPR_MISMATCH,
  mitid_identity_not_found: { code: 5502, guidance: 'mitid.identityNotFound', retry: true },
  'mitid_erhverv.no_identities': NO_COMPANY,
  mitid_timeout: { code: 5500, guidance: 'mitid.timeout', retry: true },
  mitid_internal_error: TECHNICAL,
  mitid_unexpected_error: TECHNICAL,
  mitid_browser_not_supported: { code: 5500, guidance: 'mitid.browser', retry: true },
  mitid_no_ctx: NAVIGATION,
  user_navigation_error: NAVIGATION,
  user_navigation_error_empty_state: NAVIGATION,
  mitid_uuid_hint_malformed: INTEGRATION,
  idp_correlation_failure: INTEGRATION,

  // Signicat
  'idp_3200': { ...CANCELLED, spelling: 'IDP-3200' },

  // Free-text wording of a cancel ("User cancelled"), and OpenID Connect's level refusal
  user_cancelled: CANCELLED,
  user_canceled: CANCELLED,
  unmet_authentication_requirements: ASSURANCE_LEVEL,

  // Portvagt's names (see the header): targets for error_aliases
  mitid_authenticator_blocked_temporarily: { code: 5502, guidance: 'mitid.blockedTemporarily', retry: false, contact: 'upstream', links: ['mitidAppPin', 'mitidBlocked', 'mitidPassword'], help: 'mitid' },
  mitid_authenticator_blocked_permanently: { code: 5502, guidance: 'mitid.blockedPermanently', ...MITID_SUPPORT, links: ['mitidBlocked'] },
  mitid_authenticator_revoked: { code: 5502, guidance: 'mitid.revoked', ...MITID_SUPPORT, links: ['mitidBlocked'] },
  mitid_identity_not_allowed: IDENTITY_NOT_ALLOWED,
  mitid_assurance_level_not_met: ASSURANCE_LEVEL,
  mitid_technical_error: TECHNICAL,
};

const WRAPPER_PREFIX = /^base64UrlEnc-/i;
const MAX_WRAPPED_LENGTH = 8192;
const BASE64 = /^[A-Za-z0-9_\-+/]*={0,2}$/;
const LABEL = /^[A-Za-z0-9_.:-]{1,64}$/;
/** Longest first, so `mitid_core_client_error_user_abort` wins over `mitid_core_client_error`. */
const KNOWN = Object.keys(ROWS).sort((a, b) => b.length - a.length);
const LONGEST = KNOWN[0]!.length;

function key(label: string): string {
  return label.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** The known label a value is, or starts with (followed by a separator, not by more of a word). */
function knownLabel(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = key(value.slice(0, LONGEST + 2));
  return KNOWN.find((label) => text === label || (text.startsWith(label) && /^[_:.,;!(]/.test(text.slice(label.length))));
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
      if (code !== undefined) return knownLabel(code) ?? key(code);
      description = undefined;
    }
    const known = knownLabel(description) ?? knownLabel(error);
    if (known !== undefined) return known;
    if (labelShaped(description)) return key(description);
    if (labelShaped(error)) return key(error);
    return undefined;
  },
  key: (value) => knownLabel(value) ?? key(value),
  encode(reason) {
    const spelling = Object.hasOwn(ROWS, reason) ? ROWS[reason]!.spelling : undefined;
    return { error: 'access_denied', error_description: spelling ?? reason };
  },
};
