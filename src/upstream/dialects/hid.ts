/**
 * The `hid` dialect: HID Authentication Service (OpenID API, seed 001), e.g. a company's own
 * two-factor login.
 *
 * Wire format, as HID's error redirect carries it: a plain OAuth `error` plus one or both of
 *   `hid_error=<ErrorConstants code>`                      (the API refused or failed the request)
 *   `hid_failure=<AuthenticationResponseConstants code>`   (the authentication itself failed)
 * e.g. `error=access_denied&hid_failure=2`. The two lists are separate numberings (both use 0), so the
 * key names the parameter: `hid_error:1000`, `hid_failure:15`. When both are present `hid_failure`
 * wins, because it says why this user's authentication failed, which is what the page must explain;
 * except `hid_failure=-1` ("no value available"), which says nothing and gives way to a real
 * `hid_error`. Values are compacted to integers (` 02 ` → `2`); anything else is kept (compacted,
 * upper-cased) as an unknown reason.
 *
 * Mapping: a default row per parameter plus the exceptions. Nearly all `hid_error` codes are faults of
 * configuration, administration or the service (5501, the company's IT); a gone or expired session
 * or challenge and a wrong answer can simply be retried (5500); a missing, disabled, locked, blocked,
 * used-up or revoked authenticator, an expired password or certificate, a full device and a risk
 * refusal need the user's IT support (5502, no retry). "User not found" is most often a mistyped
 * username, so it is 5500 with a hint to check it. Guidance keys live under `twoFactor.`, shared with
 * the `onespan` dialect: both are company 2FA services. Completeness is guarded by the seed fixtures
 * (test/fixtures/dialects/hid-*.txt).
 */
import type { Dialect, DialectRow } from './dialect.ts';
import { integerKey, param } from './normalise.ts';

const IT = { contact: 'it' } as const;
const TECHNICAL: DialectRow = { code: 5501, guidance: 'twoFactor.technical', retry: true, ...IT };
const SESSION_EXPIRED: DialectRow = { code: 5500, guidance: 'twoFactor.sessionExpired', retry: true };
const CHALLENGE_EXPIRED: DialectRow = { code: 5500, guidance: 'twoFactor.challengeExpired', retry: true };
const ONE_LOGIN: DialectRow = { code: 5500, guidance: 'twoFactor.oneLogin', retry: true };
const WRONG_CREDENTIALS: DialectRow = { code: 5500, guidance: 'twoFactor.wrongCredentials', retry: true, ...IT };
const SAME_USER: DialectRow = { code: 5500, guidance: 'twoFactor.sameUser', retry: true };
const UNKNOWN_USER: DialectRow = { code: 5500, guidance: 'twoFactor.unknownUser', retry: true, ...IT };
const NO_AUTHENTICATOR: DialectRow = { code: 5502, guidance: 'twoFactor.noAuthenticator', retry: false, ...IT };
const DISABLED: DialectRow = { code: 5502, guidance: 'twoFactor.disabled', retry: false, ...IT };
const USER_DISABLED: DialectRow = { code: 5502, guidance: 'twoFactor.userDisabled', retry: false, ...IT };
const LOCKED: DialectRow = { code: 5502, guidance: 'twoFactor.locked', retry: false, ...IT };
const BLOCKED: DialectRow = { code: 5502, guidance: 'twoFactor.blocked', retry: false, ...IT };
const NOT_YET_VALID: DialectRow = { code: 5502, guidance: 'twoFactor.notYetValid', retry: false, ...IT };
const DEVICE_EXHAUSTED: DialectRow = { code: 5502, guidance: 'twoFactor.deviceExhausted', retry: false, ...IT };
const DEVICE_LIMIT: DialectRow = { code: 5502, guidance: 'twoFactor.deviceLimit', retry: false, ...IT };
const DEVICE_INVALID: DialectRow = { code: 5502, guidance: 'twoFactor.deviceInvalid', retry: true, ...IT };
const PASSWORD_EXPIRED: DialectRow = { code: 5502, guidance: 'twoFactor.passwordExpired', retry: false, ...IT };
const CERTIFICATE: DialectRow = { code: 5502, guidance: 'twoFactor.certificate', retry: false, ...IT };
const ACTIVATION_CODE: DialectRow = { code: 5502, guidance: 'twoFactor.activationCode', retry: false, ...IT };
const RISK_REFUSED: DialectRow = { code: 5502, guidance: 'twoFactor.riskRefused', retry: false, ...IT };
const NOT_ALLOWED: DialectRow = { code: 5502, guidance: 'twoFactor.notAllowed', retry: false, ...IT };

/** Every `hid_error` reason code of the API's ErrorConstants (seed 001). */
const ERROR_CODES = [
  0, 100, 200, 300, 400, 500, 600, 601, 602, 900, 910, 920, 930, 940, 950, 951,
  1000, 1001, 1002, 1003, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015, 1016, 1017, 1018, 1019,
  1020, 1021, 1022, 1023, 1024, 1025, 1026, 1027, 1028, 1029, 1030, 1031, 1032, 1033, 1034, 1036,
  1100, 1101, 1102, 1103, 1104, 1105, 1106, 1107, 1108, 1109, 1110, 1111, 1112, 1113, 1114, 1115, 1116, 1117, 1118,
  1119, 1120, 1160, 1161, 1166, 1167, 1168, 1169, 1170, 1171, 1172, 1173, 1174, 1175, 1180, 1190, 1191, 1192, 1193,
  1200, 1201, 1202, 1203, 1204, 1205, 1206, 1207, 1208, 1209, 1210, 1211, 1212, 1213, 1260, 1261, 1263, 1270,
  1280, 1281, 1282, 1283, 1284, 1285, 1286, 1287, 1288, 1289, 1290, 1291, 1292, 1293, 1294, 1295, 1296, 1297, 1298,
  1299, 1300, 1301, 1302, 1303, 1304, 1305, 1306, 1307, 1308, 1309, 1310, 1311, 1312, 1313, 1314, 1400, 1500, 1501,
  1600, 1601, 1602, 1603, 1604, 1605, 1700, 1701, 1900, 1901, 1902, 1903, 1904, 1905, 1906, 2000, 2001, 2100,
  2200, 2201, 2202, 2203, 2204, 2205, 2206, 2207, 2208, 2209, 3000, 3001, 3002, 3003, 3004, 3006, 3007,
  3200, 3201, 3202, 3203, 4000, 4001, 5000, 5001, 5003, 5100, 5101, 5106, 5107, 5108, 5109, 5150, 5151,
  5200, 5201, 5202, 5203, 5204, 5300, 5301, 5400, 5401, 5402, 5403, 5404, 5405, 5406, 5407,
  6001, 6002, 6003, 6004, 6005, 6006, 6007, 6008, 6050, 6051, 6052, 6054, 6055, 6056, 6057, 6058, 6059, 6060, 6061,
  6062, 6063, 6064, 6065, 6066, 6067, 6068, 6069, 6070, 6071, 6072, 6073, 6074, 6075, 6076, 6077, 6078,
  6100, 6101, 6102, 6104, 6105, 6200, 6201, 6202, 6203, 7000, 7001, 7002, 7003, 7004, 7400,
  7500, 7501, 7502, 7503, 7504, 7505, 7506, 7507, 7508, 7509, 7510, 7511, 7512, 7513, 7514, 7516, 7517, 7518, 7519,
  7520, 7521, 7522, 7523, 8000, 8800, 9000, 9001, 9002, 9003, 9004, 9005, 9006, 9007, 9008, 9009, 9010, 9011, 9012,
  9013, 9014, 9015,
];

/** `hid_error` codes that are not a fault for the company's IT (the default, TECHNICAL). */
const ERROR_EXCEPTIONS: Readonly<Record<number, DialectRow>> = {
  950: WRONG_CREDENTIALS, // [001:1258]
  1200: UNKNOWN_USER, // [001:370] "user not found": most often a mistyped username
  1270: NO_AUTHENTICATOR,
  // The authentication session: gone, timed out or expired means log in again.
  1900: SESSION_EXPIRED,
  1901: SESSION_EXPIRED,
  1902: SESSION_EXPIRED,
  1903: SESSION_EXPIRED,
  2000: LOCKED, // [001:658] too many failed password changes
  5203: NOT_ALLOWED, // [001:830] the user has no authentication type allowed here: an administrator's change
  // Session transfer codes: an expired, used or unknown code means start again.
  5403: SESSION_EXPIRED,
  5404: SESSION_EXPIRED,
  5406: SESSION_EXPIRED,
  5407: RISK_REFUSED,
  6004: PASSWORD_EXPIRED,
  6005: DISABLED,
  6007: WRONG_CREDENTIALS, // [001:906]
  6008: NOT_ALLOWED,
  6051: DEVICE_INVALID,
  6058: NO_AUTHENTICATOR,
  6068: DEVICE_LIMIT, // [001:990] the device already holds the most soft tokens of its type
  6069: DEVICE_LIMIT, // [001:994]
  // Certificates: expired, not yet valid or revoked ones are the user's; checking faults are technical.
  6070: CERTIFICATE,
  6071: CERTIFICATE,
  6078: CERTIFICATE, // [001:1030] revoked
  6102: CHALLENGE_EXPIRED,
  6104: DEVICE_EXHAUSTED,
  // Dynamic authenticator selection found no active authenticator.
  6200: NO_AUTHENTICATOR,
  6201: NO_AUTHENTICATOR,
  6202: NO_AUTHENTICATOR,
};

/** Every `hid_failure` reason code of the API's AuthenticationResponseConstants (seed 001). */
const FAILURE_CODES = [
  -1, 0, 1, 2, 3, 4, 5, 6, 7, 9, 12, 13, 14, 15, 17, 18, 19, 20, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34,
  35, 36, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59,
];

/**
 * `hid_failure` codes that are not TECHNICAL (-1 "no value", 25–36 and 40 the EMV, PKI and LDAP modes
 * the integration asked for wrongly, 41 and 43 "matched" reported as a failure, 50, 54, 55, 58, 59).
 */
const FAILURE_EXCEPTIONS: Readonly<Record<number, DialectRow>> = {
  0: NO_AUTHENTICATOR,
  1: DISABLED,
  2: LOCKED, // failed attempts reached the disable threshold
  3: DEVICE_EXHAUSTED, // usage limit reached
  4: BLOCKED, // primary block on the channel
  5: BLOCKED, // secondary block
  6: BLOCKED, // both blocks
  7: NOT_YET_VALID,
  9: WRONG_CREDENTIALS, // an MD answer
  12: WRONG_CREDENTIALS, // wrong code length
  13: WRONG_CREDENTIALS, // password
  14: WRONG_CREDENTIALS, // too few MD answers
  15: UNKNOWN_USER, // [001:1407] "user was not found": most often a mistyped username
  17: ONE_LOGIN, // answer to another challenge than the one issued
  18: WRONG_CREDENTIALS,
  19: PASSWORD_EXPIRED, // password usage limit reached
  20: DEVICE_INVALID,
  22: CHALLENGE_EXPIRED,
  23: NO_AUTHENTICATOR, // no valid credential
  24: WRONG_CREDENTIALS, // software PIN
  29: DEVICE_EXHAUSTED, // the card's transaction counter is at its maximum
  39: WRONG_CREDENTIALS, // hashed password
  42: WRONG_CREDENTIALS, // OTP
  44: WRONG_CREDENTIALS, // PIN
  45: USER_DISABLED,
  46: ACTIVATION_CODE, // expired
  47: ACTIVATION_CODE, // attempt threshold reached
  48: ONE_LOGIN, // the user already has an open session
  49: CHALLENGE_EXPIRED, // challenge not found
  // 51–53: the risk engine wanted step-up, rejected or blocked; the broker cannot step up.
  51: RISK_REFUSED,
  52: RISK_REFUSED,
  53: BLOCKED, // [001:1479] "the block threshold has been reached": blocked, not "try later"
  56: SESSION_EXPIRED, // no session transfer for the second step
  57: SAME_USER, // the second step was another user
};

function table(param: string, codes: readonly number[], exceptions: Readonly<Record<number, DialectRow>>): [string, DialectRow][] {
  return codes.map((code) => [`${param}:${code}`, exceptions[code] ?? TECHNICAL]);
}

const ROWS: Readonly<Record<string, DialectRow>> = Object.fromEntries([
  ...table('hid_error', ERROR_CODES, ERROR_EXCEPTIONS),
  ...table('hid_failure', FAILURE_CODES, FAILURE_EXCEPTIONS),
]);

/** `hid_failure=-1`: "the value is not defined" [001:1415], no reason of its own. */
const UNDEFINED_FAILURE = 'hid_failure:-1';
const PREFIXED = /^(hid_error|hid_failure)[\s:=]*(.*)$/is;

function keyOf(name: string, value: string): string {
  return `${name.toLowerCase()}:${integerKey(value).toUpperCase()}`;
}

export const hid: Dialect = {
  name: 'hid',
  rows: ROWS,
  reason(params) {
    const failure = param(params, 'hid_failure');
    const error = param(params, 'hid_error');
    const failureKey = failure === undefined ? undefined : keyOf('hid_failure', failure);
    if (failureKey !== undefined && !(failureKey === UNDEFINED_FAILURE && error !== undefined)) return failureKey;
    return error === undefined ? undefined : keyOf('hid_error', error);
  },
  key(value) {
    const split = PREFIXED.exec(value.trim());
    return split ? keyOf(split[1]!, split[2]!) : keyOf('hid_error', value);
  },
  encode(reason) {
    const split = /^(hid_error|hid_failure):(.*)$/s.exec(reason);
    // A reason without a prefix (a mock asked for something new) goes out as an API error code.
    return split ? { error: 'access_denied', [split[1]!]: split[2]! } : { error: 'access_denied', hid_error: reason };
  },
};
