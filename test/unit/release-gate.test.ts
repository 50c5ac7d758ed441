import { describe, expect, it } from 'vitest';
import { cprFingerprint } from '../../src/accounts/cpr.ts';
import { CLOCK_SKEW_MS, decideRelease, RELEASE_RULES, type ReleaseInput, type ReleaseRule } from '../../src/flows/release-gate.ts';
import { requestedAuthentication } from '../../src/flows/requested-authentication.ts';

const NOW = Date.UTC(2026, 11, 7, 13, 8);
const secrets = { cpr_hmac_key: 'test-cpr-key-0123456789-0123456789', cpr_hmac_previous_keys: [] };
const previous = { cpr_hmac_key: 'previous-cpr-key-0123456789-012345678', cpr_hmac_previous_keys: [] };
const METTE = cprFingerprint(secrets, '1204851234');
const LARS = cprFingerprint(secrets, '0307724321');

/** A login every rule allows: the tests break one rule at a time. */
function allowed(): ReleaseInput {
  return {
    account: { enabled: true, tenant: 'acme', cprFingerprint: METTE },
    login: { method: 'mitid', level: 'substantial', cprFingerprint: METTE, authTime: NOW - 5_000 },
    client: { tenants: ['acme'], loginMethods: ['mitid', 'nemid'], minLevel: 'low', requireCprMatch: false },
    tenant: { id: 'acme', minLevel: 'low', requireCprMatch: true },
    request: { freshLogin: false, at: NOW - 60_000 },
    methodProvidesCpr: true,
    now: NOW,
  };
}

/** Each rule, broken on its own, and the one change that breaks it. */
const BROKEN: Record<ReleaseRule, (input: ReleaseInput) => void> = {
  'account-enabled': (i) => void (i.account.enabled = false),
  'account-in-tenant': (i) => void (i.account.tenant = 'beta'),
  'tenant-served': (i) => void (i.client.tenants = ['beta']),
  'method-allowed': (i) => void (i.client.loginMethods = ['nemid']),
  'link-verification-fresh': (i) => void (i.linkVerification = { validUntil: NOW - 1 }),
  'fresh-login': (i) => void (i.request = { ...i.request, maxAge: 60 }, (i.login.authTime = NOW - 61_000 - CLOCK_SKEW_MS)),
  level: (i) => void (i.request = { ...i.request, level: 'high' }),
  'cpr-same-person': (i) => void (i.login.cprFingerprint = LARS),
  'cpr-delivered': (i) => void ((i.account.cprFingerprint = null), (i.login.cprFingerprint = undefined)),
  'cpr-confirmable': (i) => void ((i.account.cprFingerprint = null), (i.login.cprFingerprint = undefined), (i.methodProvidesCpr = false)),
};

describe('the release gate', () => {
  it('releases a login that keeps every rule, with its level as acr and its upstream time as auth_time', () => {
    expect(decideRelease(allowed())).toEqual({ kind: 'release', acr: 'substantial', authTime: NOW - 5_000, storeCprFingerprint: undefined });
  });

  it.each(Object.keys(RELEASE_RULES) as ReleaseRule[])('refuses a login that breaks "%s" with that rule', (rule) => {
    const input = allowed();
    BROKEN[rule](input);
    expect(decideRelease(input)).toMatchObject({ kind: 'refuse', rule });
  });

  describe('level', () => {
    it('takes the strictest of tenant, client and request', () => {
      for (const where of ['tenant', 'client'] as const) {
        const input = allowed();
        input[where].minLevel = 'high';
        expect(decideRelease(input)).toMatchObject({ kind: 'refuse', rule: 'level', required: 'high', reached: 'substantial' });
      }
      const high = { ...allowed(), login: { ...allowed().login, level: 'high' as const }, request: { ...allowed().request, level: 'substantial' as const } };
      expect(decideRelease(high)).toMatchObject({ kind: 'release', acr: 'high' });
    });

    it('refuses a login without an NSIS level where more than Low is required', () => {
      const input = allowed();
      input.login.level = undefined;
      input.client.minLevel = 'substantial';
      expect(decideRelease(input)).toMatchObject({ kind: 'refuse', rule: 'level', reached: undefined });
      input.client.minLevel = 'low';
      expect(decideRelease(input)).toMatchObject({ kind: 'release', acr: undefined });
    });

    it('answers an essential acr with one of its values: the highest the login meets; none met or none known is refused', () => {
      const high = { ...allowed(), login: { ...allowed().login, level: 'high' as const } };
      expect(decideRelease({ ...high, request: { ...high.request, level: 'substantial', essentialAcr: ['substantial'] } })).toMatchObject({ kind: 'release', acr: 'substantial' });
      expect(decideRelease({ ...high, request: { ...high.request, level: 'substantial', essentialAcr: ['substantial', 'high'] } })).toMatchObject({ kind: 'release', acr: 'high' });
      expect(decideRelease({ ...allowed(), request: { ...allowed().request, level: 'high', essentialAcr: ['high'] } })).toMatchObject({ kind: 'refuse', rule: 'level' });
      expect(decideRelease({ ...allowed(), request: { ...allowed().request, essentialAcr: [] } })).toMatchObject({ kind: 'refuse', rule: 'level' });
    });
  });

  describe('fresh login', () => {
    it('prompt=login needs an upstream login after the request started; max_age one no older than it allows', () => {
      const fresh = allowed();
      fresh.request = { ...fresh.request, freshLogin: true };
      expect(decideRelease(fresh)).toMatchObject({ kind: 'release' });
      fresh.login.authTime = fresh.request.at - CLOCK_SKEW_MS - 1;
      expect(decideRelease(fresh)).toMatchObject({ kind: 'refuse', rule: 'fresh-login' });
      const aged = allowed();
      aged.request = { ...aged.request, maxAge: 0 };
      expect(decideRelease(aged)).toMatchObject({ kind: 'release' });
    });
  });

  describe('CPR', () => {
    const cpr = (change: (i: ReleaseInput) => void) => {
      const input = allowed();
      change(input);
      return decideRelease(input);
    };

    it('releases on a delivered CPR equal to the stored one, without asking', () => {
      expect(cpr(() => undefined)).toMatchObject({ kind: 'release', storeCprFingerprint: undefined });
    });

    it('asks the number where the upstream delivered none, and releases once it matched the stored one', () => {
      expect(cpr((i) => void (i.login.cprFingerprint = undefined))).toEqual({ kind: 'confirm-cpr', stored: METTE, delivered: undefined });
      expect(cpr((i) => void ((i.login.cprFingerprint = undefined), (i.login.cprConfirmation = { fingerprint: METTE, stored: METTE })))).toMatchObject({ kind: 'release' });
      // A confirmation of another stored fingerprint (the account changed meanwhile) counts for nothing.
      expect(cpr((i) => void ((i.login.cprFingerprint = undefined), (i.login.cprConfirmation = { fingerprint: LARS, stored: LARS })))).toMatchObject({ kind: 'confirm-cpr' });
    });

    it('lets an account without a fingerprint take the first one confirmed by both the upstream and the typed number', () => {
      expect(cpr((i) => void (i.account.cprFingerprint = null))).toEqual({ kind: 'confirm-cpr', stored: null, delivered: METTE });
      expect(cpr((i) => void ((i.account.cprFingerprint = null), (i.login.cprConfirmation = { fingerprint: LARS, stored: null })))).toMatchObject({ kind: 'confirm-cpr' });
      expect(cpr((i) => void ((i.account.cprFingerprint = null), (i.login.cprConfirmation = { fingerprint: METTE, stored: null })))).toMatchObject({ kind: 'release', storeCprFingerprint: METTE });
    });

    it('asks the number when the stored fingerprint is of a previous key, and re-makes it once the number matched', () => {
      const old = cprFingerprint(previous, '1204851234');
      expect(cpr((i) => void (i.account.cprFingerprint = old))).toMatchObject({ kind: 'confirm-cpr', stored: old });
      expect(cpr((i) => void ((i.account.cprFingerprint = old), (i.login.cprConfirmation = { fingerprint: METTE, stored: old })))).toMatchObject({ kind: 'release', storeCprFingerprint: METTE });
    });

    it('applies where the client requires it too, and not where neither does', () => {
      expect(cpr((i) => void ((i.tenant.requireCprMatch = false), (i.client.requireCprMatch = true), (i.login.cprFingerprint = LARS)))).toMatchObject({ kind: 'refuse', rule: 'cpr-same-person' });
      expect(cpr((i) => void ((i.tenant.requireCprMatch = false), (i.login.cprFingerprint = LARS)))).toMatchObject({ kind: 'release' });
    });
  });
});

describe('what a request asks of the login', () => {
  const LOA = 'https://data.gov.dk/concept/core/nsis/loa/';

  it('reads the lowest NSIS level of acr_values, and leaves other values out', () => {
    expect(requestedAuthentication({ acr_values: `${LOA}High ${LOA}Substantial urn:other` }, NOW)).toMatchObject({ level: 'substantial', essentialAcr: undefined });
    expect(requestedAuthentication({ acr_values: 'urn:other' }, NOW).level).toBeUndefined();
  });

  it('reads an essential acr of the claims parameter, which wins over acr_values', () => {
    const claims = JSON.stringify({ id_token: { acr: { essential: true, values: [`${LOA}High`] } } });
    expect(requestedAuthentication({ claims, acr_values: `${LOA}Low` }, NOW)).toMatchObject({ level: 'high', essentialAcr: ['high'] });
    expect(requestedAuthentication({ claims: JSON.stringify({ id_token: { acr: { essential: true, value: 'urn:unknown' } } }) }, NOW).essentialAcr).toEqual([]);
    expect(requestedAuthentication({ claims: JSON.stringify({ id_token: { acr: { values: [`${LOA}High`] } } }) }, NOW).essentialAcr).toBeUndefined();
  });

  it('reads max_age and prompt=login', () => {
    expect(requestedAuthentication({ max_age: '0', prompt: 'login consent' }, NOW)).toEqual({ level: undefined, essentialAcr: undefined, maxAge: 0, freshLogin: true, at: NOW });
    expect(requestedAuthentication({ max_age: 'soon' }, NOW).maxAge).toBeUndefined();
  });
});
