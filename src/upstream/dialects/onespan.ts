/**
 * The `onespan` dialect: OneSpan Authentication Server (formerly VASCO IDENTIKEY) behind an OIDC
 * front, e.g. a company's own two-factor login. Its status codes are the STAT_* table, 1000–5003.
 *
 * Wire format: the numeric status code in its own callback parameter, next to a plain OAuth error:
 *   `error=access_denied&onespan_status=1004`
 * The key is the number without whitespace or leading zeros (` 01004 ` → `1004`); a STAT_* name or
 * any other text is kept (compacted) and ends as an unknown reason. 0 (no error) and the negative
 * codes (mirrors of library error codes) are not STAT_* statuses and have no row.
 *
 * Mapping: a wrong password or one-time code, a used or expired challenge and a user cancel can be
 * retried (5500); server, policy, provisioning and administration faults are 5501; a locked,
 * disabled, unknown or not-allowed user, an expired authenticator or password and refused backup
 * codes need the user's IT support (5502). Guidance keys are shared with `hid` under `twoFactor.`.
 */
import type { Dialect, DialectRow } from './dialect.ts';
import { integerKey, param } from './normalise.ts';

const TECHNICAL: DialectRow = { code: 5501, guidance: 'twoFactor.technical' };
const WRONG_CREDENTIALS: DialectRow = { code: 5500, guidance: 'twoFactor.wrongCredentials' };
const CHALLENGE_EXPIRED: DialectRow = { code: 5500, guidance: 'twoFactor.challengeExpired' };
const CODE_USED: DialectRow = { code: 5500, guidance: 'twoFactor.codeUsed' };
const NOT_ALLOWED: DialectRow = { code: 5502, guidance: 'twoFactor.notAllowed' };
const PASSWORD_EXPIRED: DialectRow = { code: 5502, guidance: 'twoFactor.passwordExpired' };

const ROWS: Readonly<Record<string, DialectRow>> = {
  1000: WRONG_CREDENTIALS, // STAT_INVCREDENTIALS (also the generic stand-in for several others)
  1002: NOT_ALLOWED, // STAT_GROUPCHK
  1004: CHALLENGE_EXPIRED, // STAT_EXP_CHALLENGE
  1005: TECHNICAL, // STAT_PERMISSION (administration)
  1006: TECHNICAL, // STAT_LOCALAUTH
  1007: { code: 5502, guidance: 'twoFactor.locked' }, // STAT_LOCKED
  1008: CODE_USED, // STAT_REPLAY
  1009: { code: 5502, guidance: 'twoFactor.userDisabled' }, // STAT_DISABLED
  1010: { code: 5502, guidance: 'twoFactor.unknownUser' }, // STAT_USER_UNKNOWN
  1011: WRONG_CREDENTIALS, // STAT_LOCAL_PASSWORD_MISMATCH
  1012: WRONG_CREDENTIALS, // STAT_OTP_INCORRECT
  1013: { code: 5500, guidance: 'twoFactor.oneLogin' }, // STAT_CHALLENGE_INVALID: not the latest challenge
  1014: { code: 5502, guidance: 'twoFactor.gracePeriod' }, // STAT_GRACE_PERIOD_EXPIRED
  1015: { code: 5502, guidance: 'twoFactor.backupNotAllowed' }, // STAT_BVDP_NOT_ALLOWED
  1016: TECHNICAL, // STAT_DIGIPASS_NOT_AVAILABLE (self-assignment)
  1017: { code: 5502, guidance: 'twoFactor.noMobile' }, // STAT_INVALID_MDC_SETTINGS / STAT_INVALID_VDP_SETTINGS
  1018: { code: 5500, guidance: 'twoFactor.passwordMissing' }, // STAT_VDP_PASSWORD_MISSING
  1019: { code: 5500, guidance: 'twoFactor.passwordMismatch' }, // STAT_CONFIRM_PASSWORD_MISMATCH
  1020: TECHNICAL, // STAT_LOCAL_AUTH_REJECT (unspecific)
  1021: PASSWORD_EXPIRED, // STAT_BACKEND_PWD_EXPIRED
  1022: TECHNICAL, // STAT_BACKEND_REJECT_STORED_PASS
  1023: WRONG_CREDENTIALS, // STAT_BACKEND_REJECT_SUPPLIED_PASS
  1024: { code: 5500, guidance: 'twoFactor.passwordStrength' }, // STAT_PASSWORD_FAIL_STRENGTH_CHECK
  1025: { code: 5502, guidance: 'twoFactor.authenticatorExpired' }, // STAT_DIGIPASS_EXPIRED
  1026: PASSWORD_EXPIRED, // STAT_PASSWORD_EXPIRED
  1030: TECHNICAL, // STAT_INVALID_POLICY
  1031: TECHNICAL, // STAT_SELF_ASSIGN_DISABLED
  1032: TECHNICAL, // STAT_HASH_PWDS_DISALLOWED
  1033: { code: 5500, guidance: 'twoFactor.useAuthenticator' }, // STAT_DIGIPASS_MUST_BE_USED
  1034: TECHNICAL, // STAT_NO_CHALLRESP_FOR_CHAP
  1035: TECHNICAL, // STAT_NO_CHALLRESP_FOR_W2K
  1036: TECHNICAL, // STAT_1STEP_CR_DISABLED
  1037: TECHNICAL, // STAT_AUTOLEARN_DISABLED
  1038: TECHNICAL, // STAT_SOURCE_LOCATION_MISMATCH (administration)
  1039: TECHNICAL, // STAT_ADMIN_SESSION_STOPPED (administration)
  1040: TECHNICAL, // STAT_NO_CHALLRESP_FOR_PWDPROXY
  1041: TECHNICAL, // STAT_DIGIPASS_NOT_FOUND (self-assignment)
  1042: TECHNICAL, // STAT_NO_BACKEND_FOR_SELF_ASSIGN
  1050: { code: 5502, guidance: 'twoFactor.reactivationLimit' }, // STAT_REACTIV_NOT_ALLOWED
  1051: TECHNICAL, // STAT_TOO_MANY_DIGIPASS
  1052: TECHNICAL, // STAT_NO_PROV_PASSWORD_DEFINED
  1053: TECHNICAL, // STAT_NO_DP_FOR_ASSIGN
  1054: TECHNICAL, // STAT_GEN_ACTIVATION_CODE
  1055: TECHNICAL, // STAT_READING_SVF
  1060: WRONG_CREDENTIALS, // STAT_SIGNATURE_INCORRECT
  1061: CODE_USED, // STAT_SIGNATURE_REPLAY
  1062: TECHNICAL, // STAT_DP_NOT_HOSTCONF_CAPABLE
  1070: TECHNICAL, // STAT_CHANGE_ENCRYPTED_PASSWORD
  1090: TECHNICAL, // STAT_MISSING_BACKEND_PROTOCOL
  1100: TECHNICAL, // STAT_ERROR_GENERATE_REGISTRATION_ID
  1101: TECHNICAL, // STAT_ERROR_GENERATE_ACTIVATION_PASSWORD
  1102: TECHNICAL, // STAT_REGISTERID_NOT_IN_CACHE
  1103: TECHNICAL, // STAT_FAIL_ENCRYPT_ACTIVATION_CODE
  1104: TECHNICAL, // STAT_FAIL_VERIFY_SERVER_NONCE
  1105: TECHNICAL, // STAT_FAIL_BIND_DEVICE
  1107: TECHNICAL, // STAT_FAIL_BIND_DEVICE_NOT_SUPPORTED
  1108: TECHNICAL, // STAT_NO_APPLICABLE_DP_FOUND
  1120: TECHNICAL, // STAT_NOTIFICATION_DELIVERY_FAILED
  1121: TECHNICAL, // STAT_USER_SYNC_FAILED
  1122: { code: 5500, guidance: 'twoFactor.passwordStrength' }, // STAT_BACKEND_PASSWORD_FAIL_STRENGTH_CHECK
  1123: TECHNICAL, // STAT_DATA_RECORD_VERSION_UNSUPPORTED
  1124: TECHNICAL, // STAT_DATA_RECORD_MIGRATION_FAILED
  1126: TECHNICAL, // STAT_CANCEL: the server is shutting down
  1127: { code: 5500, guidance: 'twoFactor.cancelled', cancel: true }, // STAT_USER_CANCEL
  1128: TECHNICAL, // STAT_NEEDS_APPROVAL (administration)
  1129: TECHNICAL, // STAT_WRONG_ADMIN (administration)
  1132: TECHNICAL, // STAT_SUCCESSOR_NOT_FOUND (administration)
  3001: TECHNICAL, // STAT_DP_CHALLENGE: a challenge, not an error; as a failure it means a broken flow
  3002: CHALLENGE_EXPIRED, // STAT_NO_CHALLENGE: the challenge aged out of the cache
  3003: TECHNICAL, // STAT_BACKEND_CHALLENGE
  5001: NOT_ALLOWED, // STAT_NOT_IN_GROUPS
  5002: TECHNICAL, // STAT_NO_LOCAL_OR_BACKEND_AUTH
  5003: TECHNICAL, // STAT_DP_EXIST_AS_DIFF_TYPE
};

export const onespan: Dialect = {
  name: 'onespan',
  rows: ROWS,
  reason(params) {
    const value = param(params, 'onespan_status');
    return value === undefined ? undefined : integerKey(value).toUpperCase();
  },
  encode: (reason) => ({ error: 'access_denied', onespan_status: reason }),
};
