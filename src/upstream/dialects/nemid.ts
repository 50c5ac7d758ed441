/**
 * The `nemid` dialect: legacy NemID behind an OIDC bridge, with the error codes of the NemID clients
 * (Nets DanID "NemID Error Codes" v3.3: APP, AUTH, CAN, CAPP, LIB, LOCK, SRV, OCES).
 *
 * Wire format: the NemID client's code in its own callback parameter, next to a plain OAuth error:
 *   `error=access_denied&nemid_error=LOCK001[&error_description=<free text>]`
 * Only `nemid_error` is read; the key is the code upper-cased with all whitespace removed
 * (` lock001 ` → `LOCK001`). Without `nemid_error` there is no reason and the plain OAuth `error`
 * decides.
 *
 * Mapping: cancellations, time-outs and stale challenges are 5500; faults in the client, the
 * integration or NemID's servers are 5501; blocked, locked, revoked, unactivated or not-qualified
 * NemIDs and code apps are 5502. The guidance keys carry what the user can do about each (the 8-hour
 * quarantine, NemID support, a new code card, the code app limit, a public digital signature).
 */
import type { Dialect, DialectRow } from './dialect.ts';
import { compactUpper, param } from './normalise.ts';

const TECHNICAL: DialectRow = { code: 5501, guidance: 'nemid.technical' };
const TECHNICAL_SUPPORT: DialectRow = { code: 5501, guidance: 'nemid.technicalSupport' };
const BLOCKED_SUPPORT: DialectRow = { code: 5502, guidance: 'nemid.blockedSupport' };
const QUARANTINE: DialectRow = { code: 5502, guidance: 'nemid.quarantine' };
const CANCELLED: DialectRow = { code: 5500, guidance: 'nemid.cancelled' };
const TIMEOUT: DialectRow = { code: 5500, guidance: 'nemid.timeout' };
const ONE_LOGIN: DialectRow = { code: 5500, guidance: 'nemid.oneLogin' };
const CODE_APP_SETUP: DialectRow = { code: 5502, guidance: 'nemid.codeAppSetup' };
const NO_PUBLIC_SIGNATURE: DialectRow = { code: 5502, guidance: 'nemid.noPublicSignature' };

const ROWS: Readonly<Record<string, DialectRow>> = {
  // APP: the client could not start or was given bad parameters (an integration fault).
  APP001: TECHNICAL,
  APP002: TECHNICAL,
  APP003: TECHNICAL_SUPPORT, // internal client error: NemID support, not the service provider
  APP004: TECHNICAL,
  APP007: TECHNICAL,
  APP008: TECHNICAL,
  APP009: TECHNICAL,
  APP010: TECHNICAL,

  // AUTH: the login itself was refused.
  AUTH001: BLOCKED_SUPPORT,
  AUTH003: { code: 5502, guidance: 'nemid.noBankAgreement' },
  AUTH004: QUARANTINE,
  AUTH005: BLOCKED_SUPPORT,
  AUTH006: { code: 5502, guidance: 'nemid.codeCardUsed' },
  AUTH007: { code: 5502, guidance: 'nemid.passwordBlocked' },
  AUTH008: { code: 5502, guidance: 'nemid.notActivated' },
  AUTH009: { code: 5500, guidance: 'nemid.sessionExpired' },
  AUTH010: ONE_LOGIN,
  AUTH011: { code: 5502, guidance: 'nemid.temporaryPasswordMobile' },
  AUTH012: { code: 5500, guidance: 'nemid.challengeExpired' },
  AUTH013: { code: 5500, guidance: 'nemid.splitLogin' },
  AUTH017: { code: 5501, guidance: 'nemid.browser' },
  AUTH018: { code: 5502, guidance: 'nemid.codeAppRevoked' },
  AUTH019: { code: 5502, guidance: 'nemid.codeCardNotAllowed' },
  AUTH020: { code: 5500, guidance: 'nemid.twoFactor' },

  // CAN: the flow was cancelled, by the user or by time.
  CAN001: { code: 5502, guidance: 'nemid.activationCancelled' }, // the temporary password is spent: retrying cannot help
  CAN002: { ...CANCELLED, cancel: true }, // the seed: send the user to a sensible place
  CAN003: TIMEOUT,
  CAN004: CANCELLED,
  CAN005: { code: 5500, guidance: 'nemid.codeAppTimeout' },
  CAN006: { code: 5502, guidance: 'nemid.codeAppLimit' },
  CAN007: { code: 5500, guidance: 'nemid.codeAppRejected', cancel: true },
  CAN008: ONE_LOGIN,

  // CAPP: enrolling or activating a code app failed.
  CAPP001: CODE_APP_SETUP,
  CAPP002: CODE_APP_SETUP,
  CAPP003: CODE_APP_SETUP,
  CAPP004: { code: 5502, guidance: 'nemid.codeAppSuspended' },
  CAPP006: CODE_APP_SETUP,
  CAPP007: CODE_APP_SETUP,
  CAPP008: { code: 5502, guidance: 'nemid.codeAppWaiting' },
  CAPP009: CODE_APP_SETUP,
  CAPP010: CODE_APP_SETUP,
  CAPP011: TECHNICAL,
  CAPP012: CODE_APP_SETUP,
  CAPP013: TECHNICAL,

  // LIB: the client lost its connection.
  LIB002: { code: 5501, guidance: 'nemid.network' },

  // LOCK: too many wrong attempts in this very session.
  LOCK001: QUARANTINE,
  LOCK002: BLOCKED_SUPPORT,
  LOCK003: BLOCKED_SUPPORT,

  // SRV: NemID's servers refused the request or failed.
  SRV001: TECHNICAL,
  SRV002: TECHNICAL,
  SRV003: TECHNICAL,
  SRV004: TECHNICAL_SUPPORT,
  SRV005: TECHNICAL,
  SRV006: TIMEOUT,
  SRV007: { code: 5501, guidance: 'nemid.outdatedClient' },
  SRV008: TECHNICAL,
  SRV010: TECHNICAL,
  SRV011: TECHNICAL,

  // OCES: the NemID is not qualified for use outside online banking.
  OCES001: NO_PUBLIC_SIGNATURE,
  OCES002: NO_PUBLIC_SIGNATURE,
  OCES003: { code: 5502, guidance: 'nemid.otherNemid' },
  OCES004: { code: 5502, guidance: 'nemid.bankOnly' },
  OCES005: { code: 5501, guidance: 'nemid.signatureFailed' },
  OCES006: NO_PUBLIC_SIGNATURE,
};

export const nemid: Dialect = {
  name: 'nemid',
  rows: ROWS,
  reason(params) {
    const value = param(params, 'nemid_error');
    return value === undefined ? undefined : compactUpper(value);
  },
  encode: (reason) => ({ error: 'access_denied', nemid_error: reason }),
};
