/**
 * The texts that tell the user to contact support, by locale key (a code's action, a variant's, a
 * guidance text): where a page shows one, it shows the contact details too (outcomes/error-content.ts).
 * Kept as data, never read off the translated text; a test holds it to the texts.
 */
const CODES = [500, 501, 502, 3003, 3004, 3005, 3008, 5005, 5501, 5502, 6001, 6002, 7000, 7001];
const VARIANTS = ['3002.otherBrowser', '3002.cookies', '3002.unknownLink', '3005.stale-login', '3005.cpr-missing', '5007.invitation-expired', '5007.invitation-locked', '4001.mismatch', '6001.disabled', '6001.cpr-mismatch', '6001.cpr-unconfirmed', '6002.link'];
const GUIDANCE: Record<string, string[]> = {
  mitid: ['technical', 'integration'],
  nemid: ['technical', 'technicalSupport', 'quarantine', 'blockedSupport', 'passwordBlocked', 'notActivated', 'activationCancelled', 'temporaryPasswordMobile', 'codeAppRevoked', 'codeAppLimit', 'codeAppSetup', 'signatureFailed', 'integration', 'quarantineEarlier'],
  twoFactor: ['technical', 'unknownUser', 'noAuthenticator', 'disabled', 'userDisabled', 'locked', 'blocked', 'notYetValid', 'deviceExhausted', 'deviceInvalid', 'certificate', 'activationCode', 'riskRefused', 'notAllowed', 'gracePeriod', 'backupNotAllowed', 'noMobile', 'authenticatorExpired', 'reactivationLimit', 'refused', 'deviceLimit'],
  claims: ['cprMissing'],
};

export const SUPPORT_TEXTS: ReadonlySet<string> = new Set([
  ...CODES.map((code) => `codes.${code}.action`),
  ...VARIANTS.map((entry) => {
    const [code, variant] = entry.split('.');
    return `codes.${code}.variants.${variant}.action`;
  }),
  ...Object.entries(GUIDANCE).flatMap(([group, names]) => names.map((name) => `guidance.${group}.${name}`)),
]);
