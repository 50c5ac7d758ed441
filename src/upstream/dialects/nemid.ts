/**
 * The `nemid` dialect: legacy NemID behind an OIDC bridge, with the error codes of the NemID clients
 * (Nets DanID "NemID Error Codes" v3.3, seed 000: APP, AUTH, CAN, CAPP, LIB, LOCK, SRV, OCES).
 *
 * Wire format: the NemID client's code next to a plain OAuth error, documented as
 *   `error=access_denied&nemid_error=LOCK001[&error_description=<free text>]`
 * Bridges differ, so the code is looked for in `nemid_error`, then `error`, then `error_description`,
 * in any case, with `-`, `_`, spaces or nothing between letters and digits, and with text around it
 * (`lock-001`, `LOCK_001`, `LOCK001: user locked`). The key is the canonical code (`LOCK001`). A
 * `nemid_error` holding no code at all is kept (compacted, upper-cased) as an unknown reason; text
 * without a code in `error`/`error_description` is no reason, and the plain OAuth `error` decides.
 *
 * Mapping: what the user can redo (cancel, time-out, stale challenge, browser, network) is 5500;
 * faults in the client, the integration or NemID's servers are 5501 (the integration faults of
 * APP007/APP008/SRV008/SRV011 without a retry button, logged as errors); blocked, locked, revoked,
 * unactivated or not-qualified NemIDs and code apps, and an outdated client, are 5502. Each row says
 * whether retrying helps, whom to contact (NemID support, the bank, this service) and which of
 * NemID's public pages help.
 */
import type { Dialect, DialectRow } from './dialect.ts';
import { compactUpper, param } from './normalise.ts';

const TECHNICAL: DialectRow = { code: 5501, guidance: 'nemid.technical', retry: true };
const INTEGRATION: DialectRow = { code: 5501, guidance: 'nemid.integration', retry: false, integration: true };
const NEMID_FAULT: DialectRow = { code: 5501, guidance: 'nemid.technicalSupport', retry: false, contact: 'upstream', links: ['nemidSupport'] };
const BLOCKED_SUPPORT: DialectRow = { code: 5502, guidance: 'nemid.blockedSupport', retry: false, contact: 'upstream', links: ['nemidSupport'], help: 'nemid' };
const NEMID_SUPPORT = { retry: false, contact: 'upstream', links: ['nemidSupport'], help: 'nemid' } as const;
const CANCELLED: DialectRow = { code: 5500, guidance: 'nemid.cancelled', retry: true };
const TIMEOUT: DialectRow = { code: 5500, guidance: 'nemid.timeout', retry: true };
const ONE_LOGIN: DialectRow = { code: 5500, guidance: 'nemid.oneLogin', retry: true };
const CODE_APP_SETUP: DialectRow = { code: 5502, guidance: 'nemid.codeAppSetup', ...NEMID_SUPPORT };
const NO_PUBLIC_SIGNATURE: DialectRow = { code: 5502, guidance: 'nemid.noPublicSignature', retry: false, contact: 'upstream', links: ['nemidOrderOces'], help: 'nemid' };

const ROWS: Readonly<Record<string, DialectRow>> = {
  // APP: the client could not start or was given bad parameters.
  APP001: TECHNICAL,
  APP002: TECHNICAL,
  APP003: NEMID_FAULT, // [000:98] internal client error: NemID support, not the service provider
  APP004: TECHNICAL,
  APP007: INTEGRATION, // [000:103] mandatory parameter missing: "fix the integration issue"
  APP008: INTEGRATION, // [000:104] invalid combination of parameters
  APP009: TECHNICAL,
  APP010: TECHNICAL,

  // AUTH: the login itself was refused.
  AUTH001: BLOCKED_SUPPORT,
  AUTH003: { code: 5502, guidance: 'nemid.noBankAgreement', retry: false, contact: 'bank' },
  AUTH004: { code: 5502, guidance: 'nemid.quarantineEarlier', ...NEMID_SUPPORT }, // [000:114] locked in an earlier session
  AUTH005: BLOCKED_SUPPORT,
  AUTH006: { code: 5502, guidance: 'nemid.codeCardUsed', retry: false, contact: 'upstream', links: ['nemidLostCodeCard'] },
  AUTH007: { code: 5502, guidance: 'nemid.passwordBlocked', ...NEMID_SUPPORT },
  AUTH008: { code: 5502, guidance: 'nemid.notActivated', ...NEMID_SUPPORT },
  AUTH009: { code: 5500, guidance: 'nemid.sessionExpired', retry: true },
  AUTH010: ONE_LOGIN,
  AUTH011: { code: 5502, guidance: 'nemid.temporaryPasswordMobile', ...NEMID_SUPPORT },
  AUTH012: { code: 5500, guidance: 'nemid.challengeExpired', retry: true },
  AUTH013: { code: 5500, guidance: 'nemid.splitLogin', retry: true },
  AUTH017: { code: 5500, guidance: 'nemid.browser', retry: true }, // [000:134] the user's browser: theirs to fix
  AUTH018: { code: 5502, guidance: 'nemid.codeAppRevoked', ...NEMID_SUPPORT },
  AUTH019: { code: 5502, guidance: 'nemid.codeCardNotAllowed', retry: true }, // another NemID device works
  AUTH020: { code: 5500, guidance: 'nemid.twoFactor', retry: true },

  // CAN: the flow was cancelled, by the user or by time.
  CAN001: { code: 5502, guidance: 'nemid.activationCancelled', ...NEMID_SUPPORT }, // the temporary password is spent
  CAN002: { ...CANCELLED, cancel: true }, // the seed: send the user to a sensible place
  CAN003: TIMEOUT,
  CAN004: CANCELLED,
  CAN005: { code: 5500, guidance: 'nemid.codeAppTimeout', retry: true },
  CAN006: { code: 5502, guidance: 'nemid.codeAppLimit', retry: false, contact: 'upstream', links: ['nemidSupport'] },
  CAN007: { code: 5500, guidance: 'nemid.codeAppRejected', retry: true, cancel: true },
  CAN008: ONE_LOGIN,

  // CAPP: enrolling or activating a code app failed.
  CAPP001: CODE_APP_SETUP,
  CAPP002: CODE_APP_SETUP,
  CAPP003: CODE_APP_SETUP,
  CAPP004: { code: 5502, guidance: 'nemid.codeAppSuspended', retry: true },
  CAPP006: CODE_APP_SETUP,
  CAPP007: CODE_APP_SETUP,
  CAPP008: { code: 5502, guidance: 'nemid.codeAppWaiting', retry: false },
  CAPP009: CODE_APP_SETUP,
  CAPP010: CODE_APP_SETUP,
  CAPP011: TECHNICAL,
  CAPP012: CODE_APP_SETUP,
  CAPP013: TECHNICAL,

  // LIB: the client lost its connection.
  LIB002: { code: 5500, guidance: 'nemid.network', retry: true }, // [000:174] the user's network

  // LOCK: too many wrong attempts in this very session.
  LOCK001: { code: 5502, guidance: 'nemid.quarantine', ...NEMID_SUPPORT }, // [000:175] 8 hours, then again
  LOCK002: BLOCKED_SUPPORT,
  LOCK003: BLOCKED_SUPPORT,

  // SRV: NemID's servers refused the request or failed.
  SRV001: TECHNICAL,
  SRV002: TECHNICAL,
  SRV003: TECHNICAL,
  SRV004: NEMID_FAULT, // [000:188] internal server error: NemID support
  SRV005: TECHNICAL,
  SRV006: TIMEOUT,
  SRV007: { code: 5502, guidance: 'nemid.outdatedClient', retry: true }, // [000:194] update first, then again
  SRV008: INTEGRATION, // [000:195] identity protection must be enabled in the request
  SRV010: TECHNICAL,
  SRV011: INTEGRATION, // [000:197] transaction context too long

  // OCES: the NemID is not qualified for use outside online banking.
  OCES001: NO_PUBLIC_SIGNATURE,
  OCES002: NO_PUBLIC_SIGNATURE,
  OCES003: { code: 5502, guidance: 'nemid.otherNemid', retry: true },
  OCES004: { code: 5502, guidance: 'nemid.bankOnly', retry: false },
  OCES005: { code: 5501, guidance: 'nemid.signatureFailed', retry: true, contact: 'upstream', links: ['nemidSupport'] },
  OCES006: NO_PUBLIC_SIGNATURE,
};

/** A NemID code anywhere in a value: a series, an optional separator, three digits not followed by more. */
const CODE = /(?<![A-Za-z])(CAPP|APP|AUTH|CAN|LIB|LOCK|SRV|OCES)[\s_-]*(\d{3})(?!\d)/i;

function findCode(value: string | undefined): string | undefined {
  const match = value === undefined ? null : CODE.exec(value);
  return match ? `${match[1]!.toUpperCase()}${match[2]!}` : undefined;
}

export const nemid: Dialect = {
  name: 'nemid',
  rows: ROWS,
  reason(params) {
    const own = param(params, 'nemid_error');
    return findCode(own) ?? findCode(param(params, 'error')) ?? findCode(param(params, 'error_description')) ?? (own === undefined ? undefined : compactUpper(own));
  },
  key: (value) => findCode(value) ?? compactUpper(value),
  encode: (reason) => ({ error: 'access_denied', nemid_error: reason }),
};
