/**
 * The `onespan` dialect: OneSpan Authentication Server (formerly VASCO IDENTIKEY, seed 004) behind an
 * OIDC front, e.g. a company's own two-factor login. Its status codes are the STAT_* table, 1000–5003.
 *
 * Wire format: the status in its own callback parameter, next to a plain OAuth error:
 *   `error=access_denied&onespan_status=1004`
 * Fronts send the number or the STAT_* name, so both are read: the key is the number without
 * whitespace or leading zeros (` 01004 ` → `1004`), and a name (`STAT_LOCKED`, `stat-locked`,
 * `LOCKED`, both names of 1017, 1035 and 1036) is looked up to its number; a number or name followed by text
 * (`1007 STAT_LOCKED`, `STAT_LOCKED: user locked`) counts too. Anything else is kept (compacted,
 * upper-cased) as an unknown reason. 0 (no error) and the negative codes (mirrors of library error
 * codes) are not STAT_* statuses and have no row.
 *
 * Mapping: a wrong password or one-time code, a used or expired challenge, a mistyped serial number
 * and a user cancel can be retried (5500); so can the generic refusals 1000 and 1020, which also stand
 * for a locked or disabled user and therefore name the company's IT; server, policy, provisioning and
 * administration faults are 5501; a locked, disabled or not-allowed user, an expired authenticator or
 * password and refused backup codes need the user's IT support (5502, no retry). Guidance keys are
 * shared with `hid` under `twoFactor.`.
 */
import type { Dialect, DialectRow } from './dialect.ts';
import { compactUpper, integerKey, param } from './normalise.ts';

const USER_ACTION = { retry: false, contact: 'it' } as const;
const TECHNICAL: DialectRow = { code: 5501, guidance: 'twoFactor.technical', retry: true, contact: 'it' };
const WRONG_CREDENTIALS: DialectRow = { code: 5500, guidance: 'twoFactor.wrongCredentials', retry: true, contact: 'it' };
const REFUSED: DialectRow = { code: 5500, guidance: 'twoFactor.refused', retry: true, contact: 'it' };
const SERIAL_NUMBER: DialectRow = { code: 5500, guidance: 'twoFactor.serialNumber', retry: true, contact: 'it' };
const UNKNOWN_USER: DialectRow = { code: 5500, guidance: 'twoFactor.unknownUser', retry: true, contact: 'it' };
const CHALLENGE_EXPIRED: DialectRow = { code: 5500, guidance: 'twoFactor.challengeExpired', retry: true };
const CODE_USED: DialectRow = { code: 5500, guidance: 'twoFactor.codeUsed', retry: true };
const PASSWORD_STRENGTH: DialectRow = { code: 5500, guidance: 'twoFactor.passwordStrength', retry: true };
const LOCKED: DialectRow = { code: 5502, guidance: 'twoFactor.locked', ...USER_ACTION };
const USER_DISABLED: DialectRow = { code: 5502, guidance: 'twoFactor.userDisabled', ...USER_ACTION };
const NOT_ALLOWED: DialectRow = { code: 5502, guidance: 'twoFactor.notAllowed', ...USER_ACTION };
const PASSWORD_EXPIRED: DialectRow = { code: 5502, guidance: 'twoFactor.passwordExpired', ...USER_ACTION };

/** Status number → its STAT_* name(s) [seed 004] and its row. */
const STATUSES: Readonly<Record<number, [names: string[], row: DialectRow]>> = {
  1000: [['STAT_INVCREDENTIALS'], REFUSED], // [004:23] also stands in for locked, disabled, unknown and expired users (1007, 1009, 1010, 1025, …)
  1002: [['STAT_GROUPCHK'], NOT_ALLOWED],
  1004: [['STAT_EXP_CHALLENGE'], CHALLENGE_EXPIRED],
  1005: [['STAT_PERMISSION'], TECHNICAL], // administration
  1006: [['STAT_LOCALAUTH'], TECHNICAL],
  1007: [['STAT_LOCKED'], LOCKED],
  1008: [['STAT_REPLAY'], CODE_USED],
  1009: [['STAT_DISABLED'], USER_DISABLED],
  1010: [['STAT_USER_UNKNOWN'], UNKNOWN_USER],
  1011: [['STAT_LOCAL_PASSWORD_MISMATCH'], WRONG_CREDENTIALS],
  1012: [['STAT_OTP_INCORRECT'], WRONG_CREDENTIALS],
  1013: [['STAT_CHALLENGE_INVALID'], { code: 5500, guidance: 'twoFactor.oneLogin', retry: true }], // not the latest challenge
  1014: [['STAT_GRACE_PERIOD_EXPIRED'], { code: 5502, guidance: 'twoFactor.gracePeriod', ...USER_ACTION }],
  1015: [['STAT_BVDP_NOT_ALLOWED'], { code: 5502, guidance: 'twoFactor.backupNotAllowed', ...USER_ACTION }],
  1016: [['STAT_DIGIPASS_NOT_AVAILABLE'], SERIAL_NUMBER], // [004:85] most often a mistyped serial number
  1017: [['STAT_INVALID_MDC_SETTINGS', 'STAT_INVALID_VDP_SETTINGS'], { code: 5502, guidance: 'twoFactor.noMobile', ...USER_ACTION }],
  1018: [['STAT_VDP_PASSWORD_MISSING'], { code: 5500, guidance: 'twoFactor.passwordMissing', retry: true }],
  1019: [['STAT_CONFIRM_PASSWORD_MISMATCH'], { code: 5500, guidance: 'twoFactor.passwordMismatch', retry: true }],
  1020: [['STAT_LOCAL_AUTH_REJECT'], REFUSED], // [004:94] a refusal without a more specific status
  1021: [['STAT_BACKEND_PWD_EXPIRED'], PASSWORD_EXPIRED],
  1022: [['STAT_BACKEND_REJECT_STORED_PASS'], TECHNICAL],
  1023: [['STAT_BACKEND_REJECT_SUPPLIED_PASS'], WRONG_CREDENTIALS],
  1024: [['STAT_PASSWORD_FAIL_STRENGTH_CHECK'], PASSWORD_STRENGTH],
  1025: [['STAT_DIGIPASS_EXPIRED'], { code: 5502, guidance: 'twoFactor.authenticatorExpired', ...USER_ACTION }],
  1026: [['STAT_PASSWORD_EXPIRED'], PASSWORD_EXPIRED],
  1030: [['STAT_INVALID_POLICY'], TECHNICAL],
  1031: [['STAT_SELF_ASSIGN_DISABLED'], TECHNICAL],
  1032: [['STAT_HASH_PWDS_DISALLOWED'], TECHNICAL],
  1033: [['STAT_DIGIPASS_MUST_BE_USED'], { code: 5500, guidance: 'twoFactor.useAuthenticator', retry: true }],
  1034: [['STAT_NO_CHALLRESP_FOR_CHAP'], TECHNICAL],
  1035: [['STAT_NO_CHALLRESP_FOR_W2K', 'STAT_NO_CHALLRESP_FOR_W_2_K'], TECHNICAL],
  1036: [['STAT_1STEP_CR_DISABLED', 'STAT_1_STEP_CR_DISABLED'], TECHNICAL],
  1037: [['STAT_AUTOLEARN_DISABLED'], TECHNICAL],
  1038: [['STAT_SOURCE_LOCATION_MISMATCH'], TECHNICAL], // administration
  1039: [['STAT_ADMIN_SESSION_STOPPED'], TECHNICAL], // administration
  1040: [['STAT_NO_CHALLRESP_FOR_PWDPROXY'], TECHNICAL],
  1041: [['STAT_DIGIPASS_NOT_FOUND'], SERIAL_NUMBER], // [004:143] most often a mistyped serial number
  1042: [['STAT_NO_BACKEND_FOR_SELF_ASSIGN'], TECHNICAL],
  1050: [['STAT_REACTIV_NOT_ALLOWED'], { code: 5502, guidance: 'twoFactor.reactivationLimit', ...USER_ACTION }],
  1051: [['STAT_TOO_MANY_DIGIPASS'], TECHNICAL],
  1052: [['STAT_NO_PROV_PASSWORD_DEFINED'], TECHNICAL],
  1053: [['STAT_NO_DP_FOR_ASSIGN'], TECHNICAL],
  1054: [['STAT_GEN_ACTIVATION_CODE'], TECHNICAL],
  1055: [['STAT_READING_SVF'], TECHNICAL],
  1060: [['STAT_SIGNATURE_INCORRECT'], WRONG_CREDENTIALS],
  1061: [['STAT_SIGNATURE_REPLAY'], CODE_USED],
  1062: [['STAT_DP_NOT_HOSTCONF_CAPABLE'], TECHNICAL],
  1070: [['STAT_CHANGE_ENCRYPTED_PASSWORD'], TECHNICAL],
  1090: [['STAT_MISSING_BACKEND_PROTOCOL'], TECHNICAL],
  1100: [['STAT_ERROR_GENERATE_REGISTRATION_ID'], TECHNICAL],
  1101: [['STAT_ERROR_GENERATE_ACTIVATION_PASSWORD'], TECHNICAL],
  1102: [['STAT_REGISTERID_NOT_IN_CACHE'], TECHNICAL],
  1103: [['STAT_FAIL_ENCRYPT_ACTIVATION_CODE'], TECHNICAL],
  1104: [['STAT_FAIL_VERIFY_SERVER_NONCE'], TECHNICAL],
  1105: [['STAT_FAIL_BIND_DEVICE'], TECHNICAL],
  1107: [['STAT_FAIL_BIND_DEVICE_NOT_SUPPORTED'], TECHNICAL],
  1108: [['STAT_NO_APPLICABLE_DP_FOUND'], TECHNICAL],
  1120: [['STAT_NOTIFICATION_DELIVERY_FAILED'], TECHNICAL],
  1121: [['STAT_USER_SYNC_FAILED'], TECHNICAL],
  1122: [['STAT_BACKEND_PASSWORD_FAIL_STRENGTH_CHECK'], PASSWORD_STRENGTH],
  1123: [['STAT_DATA_RECORD_VERSION_UNSUPPORTED'], TECHNICAL],
  1124: [['STAT_DATA_RECORD_MIGRATION_FAILED'], TECHNICAL],
  1126: [['STAT_CANCEL'], TECHNICAL], // the server is shutting down
  1127: [['STAT_USER_CANCEL'], { code: 5500, guidance: 'twoFactor.cancelled', retry: true, cancel: true }],
  1128: [['STAT_NEEDS_APPROVAL'], TECHNICAL], // administration
  1129: [['STAT_WRONG_ADMIN'], TECHNICAL], // administration
  1132: [['STAT_SUCCESSOR_NOT_FOUND'], TECHNICAL], // administration
  3001: [['STAT_DP_CHALLENGE'], TECHNICAL], // a challenge, not an error; as a failure it means a broken flow
  3002: [['STAT_NO_CHALLENGE'], CHALLENGE_EXPIRED], // the challenge aged out of the cache
  3003: [['STAT_BACKEND_CHALLENGE'], TECHNICAL],
  5001: [['STAT_NOT_IN_GROUPS'], NOT_ALLOWED],
  5002: [['STAT_NO_LOCAL_OR_BACKEND_AUTH'], TECHNICAL],
  5003: [['STAT_DP_EXIST_AS_DIFF_TYPE'], TECHNICAL],
};

const ROWS: Readonly<Record<string, DialectRow>> = Object.fromEntries(Object.entries(STATUSES).map(([code, [, row]]) => [code, row]));

/** A name without `STAT_`, separators as `_`, upper case: `stat-locked` and `LOCKED` both → `LOCKED`. */
const bareName = (name: string): string => name.toUpperCase().replace(/[\s-]+/g, '_').replace(/^STAT_/, '');

const BY_NAME: ReadonlyMap<string, string> = new Map(
  Object.entries(STATUSES).flatMap(([code, [names]]) => names.map((name) => [bareName(name), code] as const)),
);

/** The longest STAT_* name has 6 words and 43 characters; reading more would only cost time. */
const MAX_NAME = 64;
const MAX_WORDS = 8;
const LEADING_NUMBER = /^[+-]?\d+(?![\w])/;
const LEADING_NAME = /^(?:STAT[\s_-]*)?[A-Z0-9]+(?:[\s_-]+[A-Z0-9]+)*/i;

function statusKey(value: string): string {
  const trimmed = value.trim();
  const number = LEADING_NUMBER.exec(trimmed);
  if (number) return integerKey(number[0]);
  // The longest run of name words that is a known name, so `STAT_LOCKED user locked` finds `LOCKED`.
  const words = bareName(LEADING_NAME.exec(trimmed.slice(0, MAX_NAME))?.[0] ?? '').split('_').slice(0, MAX_WORDS);
  for (let n = words.length; n > 0; n--) {
    const code = BY_NAME.get(words.slice(0, n).join('_'));
    if (code !== undefined) return code;
  }
  return compactUpper(integerKey(trimmed));
}

export const onespan: Dialect = {
  name: 'onespan',
  rows: ROWS,
  reason(params) {
    const value = param(params, 'onespan_status');
    return value === undefined ? undefined : statusKey(value);
  },
  key: statusKey,
  encode: (reason) => ({ error: 'access_denied', onespan_status: reason }),
};
