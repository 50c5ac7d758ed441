/**
 * The `hid` dialect: HID Authentication Service (OpenID API), e.g. a company's own two-factor login.
 *
 * Wire format, as HID's error redirect carries it: a plain OAuth `error` plus one or both of
 *   `hid_error=<ErrorConstants code>`                      (the API refused or failed the request)
 *   `hid_failure=<AuthenticationResponseConstants code>`   (the authentication itself failed)
 * e.g. `error=access_denied&hid_failure=2`. The two lists are separate numberings (both use 0), so the
 * key names the parameter: `hid_error:1000`, `hid_failure:-1`. When both are present `hid_failure`
 * wins, because it says why this user's authentication failed, which is what the page must explain.
 * Values are compacted to integers (` 02 ` → `2`); anything else is kept (compacted, upper-cased)
 * as an unknown reason.
 *
 * Mapping: nearly all `hid_error` codes are faults of configuration, administration or the service
 * (5501); a gone or expired session or challenge and a wrong answer can simply be retried (5500);
 * an unknown user, a missing, disabled, locked, blocked, used-up or revoked authenticator, an expired
 * password or certificate and a risk refusal need the user's IT support (5502). The guidance keys
 * live under `twoFactor.`, shared with the `onespan` dialect: both are company 2FA services.
 */
import type { Dialect, DialectRow } from './dialect.ts';
import { integerKey, param } from './normalise.ts';

const TECHNICAL: DialectRow = { code: 5501, guidance: 'twoFactor.technical' };
const SESSION_EXPIRED: DialectRow = { code: 5500, guidance: 'twoFactor.sessionExpired' };
const CHALLENGE_EXPIRED: DialectRow = { code: 5500, guidance: 'twoFactor.challengeExpired' };
const ONE_LOGIN: DialectRow = { code: 5500, guidance: 'twoFactor.oneLogin' };
const WRONG_CREDENTIALS: DialectRow = { code: 5500, guidance: 'twoFactor.wrongCredentials' };
const SAME_USER: DialectRow = { code: 5500, guidance: 'twoFactor.sameUser' };
const UNKNOWN_USER: DialectRow = { code: 5502, guidance: 'twoFactor.unknownUser' };
const NO_AUTHENTICATOR: DialectRow = { code: 5502, guidance: 'twoFactor.noAuthenticator' };
const DISABLED: DialectRow = { code: 5502, guidance: 'twoFactor.disabled' };
const USER_DISABLED: DialectRow = { code: 5502, guidance: 'twoFactor.userDisabled' };
const LOCKED: DialectRow = { code: 5502, guidance: 'twoFactor.locked' };
const BLOCKED: DialectRow = { code: 5502, guidance: 'twoFactor.blocked' };
const NOT_YET_VALID: DialectRow = { code: 5502, guidance: 'twoFactor.notYetValid' };
const DEVICE_EXHAUSTED: DialectRow = { code: 5502, guidance: 'twoFactor.deviceExhausted' };
const DEVICE_INVALID: DialectRow = { code: 5502, guidance: 'twoFactor.deviceInvalid' };
const PASSWORD_EXPIRED: DialectRow = { code: 5502, guidance: 'twoFactor.passwordExpired' };
const CERTIFICATE: DialectRow = { code: 5502, guidance: 'twoFactor.certificate' };
const ACTIVATION_CODE: DialectRow = { code: 5502, guidance: 'twoFactor.activationCode' };
const RISK_REFUSED: DialectRow = { code: 5502, guidance: 'twoFactor.riskRefused' };
const NOT_ALLOWED: DialectRow = { code: 5502, guidance: 'twoFactor.notAllowed' };

/** `hid_error` reason codes (the API's ErrorConstants). */
const ERROR_ROWS: Readonly<Record<string, DialectRow>> = {
  // Internal faults of the service and its parts (kernel, core security, LDAP, RADIUS, STM).
  'hid_error:0': TECHNICAL,
  'hid_error:100': TECHNICAL,
  'hid_error:200': TECHNICAL,
  'hid_error:300': TECHNICAL,
  'hid_error:400': TECHNICAL,
  'hid_error:500': TECHNICAL,
  'hid_error:600': TECHNICAL,
  'hid_error:601': TECHNICAL,
  'hid_error:602': TECHNICAL,
  'hid_error:900': TECHNICAL,

  // Devices and soft tokens during authentication and activation.
  'hid_error:910': TECHNICAL,
  'hid_error:920': TECHNICAL,
  'hid_error:930': TECHNICAL,
  'hid_error:940': TECHNICAL,
  'hid_error:950': WRONG_CREDENTIALS,
  'hid_error:951': TECHNICAL,

  // A request parameter was missing, malformed or contradictory.
  'hid_error:1000': TECHNICAL,
  'hid_error:1001': TECHNICAL,
  'hid_error:1002': TECHNICAL,
  'hid_error:1003': TECHNICAL,
  'hid_error:1005': TECHNICAL,
  'hid_error:1006': TECHNICAL,
  'hid_error:1007': TECHNICAL,
  'hid_error:1008': TECHNICAL,
  'hid_error:1009': TECHNICAL,
  'hid_error:1010': TECHNICAL,
  'hid_error:1011': TECHNICAL,
  'hid_error:1012': TECHNICAL,
  'hid_error:1013': TECHNICAL,
  'hid_error:1014': TECHNICAL,
  'hid_error:1015': TECHNICAL,
  'hid_error:1016': TECHNICAL,
  'hid_error:1017': TECHNICAL,
  'hid_error:1018': TECHNICAL,
  'hid_error:1019': TECHNICAL,
  'hid_error:1020': TECHNICAL,
  'hid_error:1021': TECHNICAL,
  'hid_error:1022': TECHNICAL,
  'hid_error:1023': TECHNICAL,
  'hid_error:1024': TECHNICAL,
  'hid_error:1025': TECHNICAL,
  'hid_error:1026': TECHNICAL,
  'hid_error:1027': TECHNICAL,
  'hid_error:1028': TECHNICAL,
  'hid_error:1029': TECHNICAL,
  'hid_error:1030': TECHNICAL,
  'hid_error:1031': TECHNICAL,
  'hid_error:1032': TECHNICAL,
  'hid_error:1033': TECHNICAL,
  'hid_error:1034': TECHNICAL,
  'hid_error:1036': TECHNICAL,

  // Something to be created already exists.
  'hid_error:1100': TECHNICAL,
  'hid_error:1101': TECHNICAL,
  'hid_error:1102': TECHNICAL,
  'hid_error:1103': TECHNICAL,
  'hid_error:1104': TECHNICAL,
  'hid_error:1105': TECHNICAL,
  'hid_error:1106': TECHNICAL,
  'hid_error:1107': TECHNICAL,
  'hid_error:1108': TECHNICAL,
  'hid_error:1109': TECHNICAL,
  'hid_error:1110': TECHNICAL,
  'hid_error:1111': TECHNICAL,
  'hid_error:1112': TECHNICAL,
  'hid_error:1113': TECHNICAL,
  'hid_error:1114': TECHNICAL,
  'hid_error:1115': TECHNICAL,
  'hid_error:1116': TECHNICAL,
  'hid_error:1117': TECHNICAL,
  'hid_error:1118': TECHNICAL,
  'hid_error:1119': TECHNICAL,
  'hid_error:1120': TECHNICAL,
  'hid_error:1160': TECHNICAL,
  'hid_error:1161': TECHNICAL,
  'hid_error:1166': TECHNICAL,
  'hid_error:1167': TECHNICAL,
  'hid_error:1168': TECHNICAL,
  'hid_error:1169': TECHNICAL,
  'hid_error:1170': TECHNICAL,
  'hid_error:1171': TECHNICAL,
  'hid_error:1172': TECHNICAL,
  'hid_error:1173': TECHNICAL,
  'hid_error:1174': TECHNICAL,
  'hid_error:1175': TECHNICAL,
  'hid_error:1180': TECHNICAL,
  'hid_error:1190': TECHNICAL,
  'hid_error:1191': TECHNICAL,
  'hid_error:1192': TECHNICAL,
  'hid_error:1193': TECHNICAL,

  // Something the request names could not be found (an unknown user or authenticator is the user's matter).
  'hid_error:1200': UNKNOWN_USER,
  'hid_error:1201': TECHNICAL,
  'hid_error:1202': TECHNICAL,
  'hid_error:1203': TECHNICAL,
  'hid_error:1204': TECHNICAL,
  'hid_error:1205': TECHNICAL,
  'hid_error:1206': TECHNICAL,
  'hid_error:1207': TECHNICAL,
  'hid_error:1208': TECHNICAL,
  'hid_error:1209': TECHNICAL,
  'hid_error:1210': TECHNICAL,
  'hid_error:1211': TECHNICAL,
  'hid_error:1212': TECHNICAL,
  'hid_error:1213': TECHNICAL,
  'hid_error:1260': TECHNICAL,
  'hid_error:1261': TECHNICAL,
  'hid_error:1263': TECHNICAL,
  'hid_error:1270': NO_AUTHENTICATOR,
  'hid_error:1280': TECHNICAL,
  'hid_error:1281': TECHNICAL,
  'hid_error:1282': TECHNICAL,
  'hid_error:1283': TECHNICAL,
  'hid_error:1284': TECHNICAL,
  'hid_error:1285': TECHNICAL,
  'hid_error:1286': TECHNICAL,
  'hid_error:1287': TECHNICAL,
  'hid_error:1288': TECHNICAL,
  'hid_error:1289': TECHNICAL,
  'hid_error:1290': TECHNICAL,
  'hid_error:1291': TECHNICAL,
  'hid_error:1292': TECHNICAL,
  'hid_error:1293': TECHNICAL,
  'hid_error:1294': TECHNICAL,
  'hid_error:1295': TECHNICAL,
  'hid_error:1296': TECHNICAL,
  'hid_error:1297': TECHNICAL,
  'hid_error:1298': TECHNICAL,
  'hid_error:1299': TECHNICAL,
  'hid_error:1300': TECHNICAL,
  'hid_error:1301': TECHNICAL,
  'hid_error:1302': TECHNICAL,
  'hid_error:1303': TECHNICAL,
  'hid_error:1304': TECHNICAL,
  'hid_error:1305': TECHNICAL,
  'hid_error:1306': TECHNICAL,
  'hid_error:1307': TECHNICAL,
  'hid_error:1308': TECHNICAL,
  'hid_error:1309': TECHNICAL,
  'hid_error:1310': TECHNICAL,
  'hid_error:1311': TECHNICAL,
  'hid_error:1312': TECHNICAL,
  'hid_error:1313': TECHNICAL,
  'hid_error:1314': TECHNICAL,

  // Privileges, MD answers, seeded authentication and channels: configuration.
  'hid_error:1400': TECHNICAL,
  'hid_error:1500': TECHNICAL,
  'hid_error:1501': TECHNICAL,
  'hid_error:1600': TECHNICAL,
  'hid_error:1601': TECHNICAL,
  'hid_error:1602': TECHNICAL,
  'hid_error:1603': TECHNICAL,
  'hid_error:1604': TECHNICAL,
  'hid_error:1605': TECHNICAL,
  'hid_error:1700': TECHNICAL,
  'hid_error:1701': TECHNICAL,

  // The authentication session: gone, timed out or expired means log in again.
  'hid_error:1900': SESSION_EXPIRED,
  'hid_error:1901': SESSION_EXPIRED,
  'hid_error:1902': SESSION_EXPIRED,
  'hid_error:1903': SESSION_EXPIRED,
  'hid_error:1904': TECHNICAL,
  'hid_error:1905': TECHNICAL,
  'hid_error:1906': TECHNICAL,

  // Password changes, constraints and configurer cards.
  'hid_error:2000': LOCKED,
  'hid_error:2001': TECHNICAL,
  'hid_error:2100': TECHNICAL,
  'hid_error:2200': TECHNICAL,
  'hid_error:2201': TECHNICAL,
  'hid_error:2202': TECHNICAL,
  'hid_error:2203': TECHNICAL,
  'hid_error:2204': TECHNICAL,
  'hid_error:2205': TECHNICAL,
  'hid_error:2206': TECHNICAL,
  'hid_error:2207': TECHNICAL,
  'hid_error:2208': TECHNICAL,
  'hid_error:2209': TECHNICAL,

  // User groups, attribute types and assets: administration.
  'hid_error:3000': TECHNICAL,
  'hid_error:3001': TECHNICAL,
  'hid_error:3002': TECHNICAL,
  'hid_error:3003': TECHNICAL,
  'hid_error:3004': TECHNICAL,
  'hid_error:3006': TECHNICAL,
  'hid_error:3007': TECHNICAL,
  'hid_error:3200': TECHNICAL,
  'hid_error:3201': TECHNICAL,
  'hid_error:3202': TECHNICAL,
  'hid_error:3203': TECHNICAL,
  'hid_error:4000': TECHNICAL,
  'hid_error:4001': TECHNICAL,

  // Forms, user attributes, password resets and authentication types.
  'hid_error:5000': TECHNICAL,
  'hid_error:5001': TECHNICAL,
  'hid_error:5003': TECHNICAL,
  'hid_error:5100': TECHNICAL,
  'hid_error:5101': TECHNICAL,
  'hid_error:5106': TECHNICAL,
  'hid_error:5107': TECHNICAL,
  'hid_error:5108': TECHNICAL,
  'hid_error:5109': TECHNICAL,
  'hid_error:5150': TECHNICAL,
  'hid_error:5151': TECHNICAL,
  'hid_error:5200': TECHNICAL,
  'hid_error:5201': TECHNICAL,
  'hid_error:5202': TECHNICAL,
  'hid_error:5203': TECHNICAL,
  'hid_error:5204': TECHNICAL,
  'hid_error:5300': TECHNICAL,
  'hid_error:5301': TECHNICAL,

  // Session transfer codes: an expired, used or unknown code means start again.
  'hid_error:5400': TECHNICAL,
  'hid_error:5401': TECHNICAL,
  'hid_error:5402': TECHNICAL,
  'hid_error:5403': SESSION_EXPIRED,
  'hid_error:5404': SESSION_EXPIRED,
  'hid_error:5405': TECHNICAL,
  'hid_error:5406': SESSION_EXPIRED,
  'hid_error:5407': RISK_REFUSED,

  // Authentication types and passwords.
  'hid_error:6001': TECHNICAL,
  'hid_error:6002': TECHNICAL,
  'hid_error:6003': TECHNICAL,
  'hid_error:6004': PASSWORD_EXPIRED,
  'hid_error:6005': DISABLED,
  'hid_error:6006': TECHNICAL,
  'hid_error:6007': WRONG_CREDENTIALS,
  'hid_error:6008': NOT_ALLOWED,

  // Devices: binding, synchronisation, soft PINs and issuance.
  'hid_error:6050': TECHNICAL,
  'hid_error:6051': DEVICE_INVALID,
  'hid_error:6052': TECHNICAL,
  'hid_error:6054': TECHNICAL,
  'hid_error:6055': TECHNICAL,
  'hid_error:6056': TECHNICAL,
  'hid_error:6057': TECHNICAL,
  'hid_error:6058': NO_AUTHENTICATOR,
  'hid_error:6059': TECHNICAL,
  'hid_error:6060': TECHNICAL,
  'hid_error:6061': TECHNICAL,
  'hid_error:6062': TECHNICAL,
  'hid_error:6063': TECHNICAL,
  'hid_error:6064': TECHNICAL,
  'hid_error:6065': TECHNICAL,
  'hid_error:6066': TECHNICAL,
  'hid_error:6067': TECHNICAL,
  'hid_error:6068': TECHNICAL,
  'hid_error:6069': TECHNICAL,

  // Certificates: expired, not yet valid or revoked ones are the user's; checking faults are technical.
  'hid_error:6070': CERTIFICATE,
  'hid_error:6071': CERTIFICATE,
  'hid_error:6072': TECHNICAL,
  'hid_error:6073': TECHNICAL,
  'hid_error:6074': TECHNICAL,
  'hid_error:6075': TECHNICAL,
  'hid_error:6076': TECHNICAL,
  'hid_error:6077': TECHNICAL,
  'hid_error:6078': CERTIFICATE,

  // Challenges and device counters.
  'hid_error:6100': TECHNICAL,
  'hid_error:6101': TECHNICAL,
  'hid_error:6102': CHALLENGE_EXPIRED,
  'hid_error:6104': DEVICE_EXHAUSTED,
  'hid_error:6105': TECHNICAL,

  // Dynamic authenticator selection found no active authenticator.
  'hid_error:6200': NO_AUTHENTICATOR,
  'hid_error:6201': NO_AUTHENTICATOR,
  'hid_error:6202': NO_AUTHENTICATOR,
  'hid_error:6203': TECHNICAL,

  // Transactions, roles and deletions: administration.
  'hid_error:7000': TECHNICAL,
  'hid_error:7001': TECHNICAL,
  'hid_error:7002': TECHNICAL,
  'hid_error:7003': TECHNICAL,
  'hid_error:7004': TECHNICAL,
  'hid_error:7400': TECHNICAL,
  'hid_error:7500': TECHNICAL,
  'hid_error:7501': TECHNICAL,
  'hid_error:7502': TECHNICAL,
  'hid_error:7503': TECHNICAL,
  'hid_error:7504': TECHNICAL,
  'hid_error:7505': TECHNICAL,
  'hid_error:7506': TECHNICAL,
  'hid_error:7507': TECHNICAL,
  'hid_error:7508': TECHNICAL,
  'hid_error:7509': TECHNICAL,
  'hid_error:7510': TECHNICAL,
  'hid_error:7511': TECHNICAL,
  'hid_error:7512': TECHNICAL,
  'hid_error:7513': TECHNICAL,
  'hid_error:7514': TECHNICAL,
  'hid_error:7516': TECHNICAL,
  'hid_error:7517': TECHNICAL,
  'hid_error:7518': TECHNICAL,
  'hid_error:7519': TECHNICAL,
  'hid_error:7520': TECHNICAL,
  'hid_error:7521': TECHNICAL,
  'hid_error:7522': TECHNICAL,
  'hid_error:7523': TECHNICAL,
  'hid_error:8000': TECHNICAL,
  'hid_error:8800': TECHNICAL,

  // Licences, tokenisation and datasource binding.
  'hid_error:9000': TECHNICAL,
  'hid_error:9001': TECHNICAL,
  'hid_error:9002': TECHNICAL,
  'hid_error:9003': TECHNICAL,
  'hid_error:9004': TECHNICAL,
  'hid_error:9005': TECHNICAL,
  'hid_error:9006': TECHNICAL,
  'hid_error:9007': TECHNICAL,
  'hid_error:9008': TECHNICAL,
  'hid_error:9009': TECHNICAL,
  'hid_error:9010': TECHNICAL,
  'hid_error:9011': TECHNICAL,
  'hid_error:9012': TECHNICAL,
  'hid_error:9013': TECHNICAL,
  'hid_error:9014': TECHNICAL,
  'hid_error:9015': TECHNICAL,
};

/** `hid_failure` reason codes (the API's AuthenticationResponseConstants). */
const FAILURE_ROWS: Readonly<Record<string, DialectRow>> = {
  'hid_failure:-1': TECHNICAL, // no value available
  'hid_failure:0': NO_AUTHENTICATOR,
  'hid_failure:1': DISABLED,
  'hid_failure:2': LOCKED, // failed attempts reached the disable threshold
  'hid_failure:3': DEVICE_EXHAUSTED, // usage limit reached
  'hid_failure:4': BLOCKED, // primary block on the channel
  'hid_failure:5': BLOCKED, // secondary block
  'hid_failure:6': BLOCKED, // both blocks
  'hid_failure:7': NOT_YET_VALID,
  'hid_failure:9': WRONG_CREDENTIALS, // an MD answer
  'hid_failure:12': WRONG_CREDENTIALS, // wrong code length
  'hid_failure:13': WRONG_CREDENTIALS, // password
  'hid_failure:14': WRONG_CREDENTIALS, // too few MD answers
  'hid_failure:15': UNKNOWN_USER,
  'hid_failure:17': ONE_LOGIN, // answer to another challenge than the one issued
  'hid_failure:18': WRONG_CREDENTIALS,
  'hid_failure:19': PASSWORD_EXPIRED, // password usage limit reached
  'hid_failure:20': DEVICE_INVALID,
  'hid_failure:22': CHALLENGE_EXPIRED,
  'hid_failure:23': NO_AUTHENTICATOR, // no valid credential
  'hid_failure:24': WRONG_CREDENTIALS, // software PIN
  // 25–36 and 40: EMV, PKI and LDAP modes the integration asked for wrongly.
  'hid_failure:25': TECHNICAL,
  'hid_failure:26': TECHNICAL,
  'hid_failure:27': TECHNICAL,
  'hid_failure:28': TECHNICAL,
  'hid_failure:29': DEVICE_EXHAUSTED, // the card's transaction counter is at its maximum
  'hid_failure:30': TECHNICAL,
  'hid_failure:31': TECHNICAL,
  'hid_failure:32': TECHNICAL,
  'hid_failure:33': TECHNICAL,
  'hid_failure:34': TECHNICAL,
  'hid_failure:35': TECHNICAL,
  'hid_failure:36': TECHNICAL,
  'hid_failure:39': WRONG_CREDENTIALS, // hashed password
  'hid_failure:40': TECHNICAL,
  'hid_failure:41': TECHNICAL, // "OTP matched" as a failure: an inconsistent answer
  'hid_failure:42': WRONG_CREDENTIALS, // OTP
  'hid_failure:43': TECHNICAL, // "PIN matched" as a failure: an inconsistent answer
  'hid_failure:44': WRONG_CREDENTIALS, // PIN
  'hid_failure:45': USER_DISABLED,
  'hid_failure:46': ACTIVATION_CODE, // expired
  'hid_failure:47': ACTIVATION_CODE, // attempt threshold reached
  'hid_failure:48': ONE_LOGIN, // the user already has an open session
  'hid_failure:49': CHALLENGE_EXPIRED, // challenge not found
  'hid_failure:50': TECHNICAL,
  // 51–53: the risk engine wanted step-up, rejected or blocked; the broker cannot step up.
  'hid_failure:51': RISK_REFUSED,
  'hid_failure:52': RISK_REFUSED,
  'hid_failure:53': RISK_REFUSED,
  'hid_failure:54': TECHNICAL,
  'hid_failure:55': TECHNICAL,
  'hid_failure:56': SESSION_EXPIRED, // no session transfer for the second step
  'hid_failure:57': SAME_USER, // the second step was another user
  'hid_failure:58': TECHNICAL,
  'hid_failure:59': TECHNICAL,
};

const PARAMS = ['hid_failure', 'hid_error'] as const;

export const hid: Dialect = {
  name: 'hid',
  rows: { ...ERROR_ROWS, ...FAILURE_ROWS },
  reason(params) {
    for (const name of PARAMS) {
      const value = param(params, name);
      if (value !== undefined) return `${name}:${integerKey(value).toUpperCase()}`;
    }
    return undefined;
  },
  encode(reason) {
    const split = /^(hid_error|hid_failure):(.*)$/s.exec(reason);
    // A reason without a prefix (a mock asked for something new) goes out as an API error code.
    return split ? { error: 'access_denied', [split[1]!]: split[2]! } : { error: 'access_denied', hid_error: reason };
  },
};
