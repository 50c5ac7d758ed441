import { describe, expect, it } from 'vitest';
import { PUBLIC_LINKS } from '../../src/errors/advice.ts';
import { DIALECTS, resolveAliases, translateErrorResponse } from '../../src/upstream/dialects/index.ts';
import { callback, fakeLog } from './helpers.ts';

const { nemid, hid, onespan, mitid } = DIALECTS;

/**
 * Rows whose advice the audit found wrong, each checked against the line of its seed document that
 * decides it (the line of the NemID, HID or OneSpan error document, named in the dialect files).
 */
describe('reclassified rows', () => {
  it.each([
    ['[000:134] NemID AUTH017: the user’s browser environment, which the user fixes', nemid, 'AUTH017', { code: 5500, retry: true }],
    ['[000:174] NemID LIB002: a network problem, "please try again"', nemid, 'LIB002', { code: 5500, retry: true }],
    ['[000:194] NemID SRV007: the user must update the client first', nemid, 'SRV007', { code: 5502 }],
    ['[000:103] NemID APP007: "fix the integration issue"', nemid, 'APP007', { code: 5501, retry: false, integration: true }],
    ['[000:104] NemID APP008: "fix the integration issue"', nemid, 'APP008', { code: 5501, retry: false, integration: true }],
    ['[000:195] NemID SRV008: "fix the integration issue"', nemid, 'SRV008', { code: 5501, retry: false, integration: true }],
    ['[000:197] NemID SRV011: "fix the integration issue"', nemid, 'SRV011', { code: 5501, retry: false, integration: true }],
    ['[000:98] NemID APP003: NemID support only', nemid, 'APP003', { contact: 'upstream', links: ['nemidSupport'] }],
    ['[000:188] NemID SRV004: NemID support only', nemid, 'SRV004', { contact: 'upstream', links: ['nemidSupport'] }],
    ['[000:114] NemID AUTH004: locked in an earlier session', nemid, 'AUTH004', { code: 5502, guidance: 'nemid.quarantineEarlier', retry: false }],
    ['[000:175] NemID LOCK001: locked for 8 hours, no retry now', nemid, 'LOCK001', { code: 5502, guidance: 'nemid.quarantine', retry: false, contact: 'upstream' }],
    ['[000:119] NemID AUTH006: the lost-code-card page', nemid, 'AUTH006', { links: ['nemidLostCodeCard'], retry: false }],
    ['[000:198] NemID OCES001: the OCES order page', nemid, 'OCES001', { links: ['nemidOrderOces'], retry: false }],
    ['[004:23] OneSpan 1000 also stands for locked, disabled and expired users', onespan, '1000', { code: 5500, guidance: 'twoFactor.refused', contact: 'it' }],
    ['[004:94] OneSpan 1020: an authentication refusal', onespan, '1020', { code: 5500, guidance: 'twoFactor.refused' }],
    ['[004:85] OneSpan 1016: a mistyped serial number', onespan, '1016', { code: 5500, guidance: 'twoFactor.serialNumber', retry: true }],
    ['[004:143] OneSpan 1041: a mistyped serial number', onespan, '1041', { code: 5500, guidance: 'twoFactor.serialNumber', retry: true }],
    ['[001:1407] HID failure 15 "user not found": check the username', hid, 'hid_failure:15', { code: 5500, guidance: 'twoFactor.unknownUser', retry: true }],
    ['[001:370] HID error 1200 "user not found": check the username', hid, 'hid_error:1200', { code: 5500, guidance: 'twoFactor.unknownUser', retry: true }],
    ['[001:1479] HID failure 53 "block threshold reached": blocked', hid, 'hid_failure:53', { code: 5502, guidance: 'twoFactor.blocked', retry: false }],
    ['[001:990] HID error 6068: too many soft tokens on the device', hid, 'hid_error:6068', { code: 5502, guidance: 'twoFactor.deviceLimit', contact: 'it' }],
    ['[001:994] HID error 6069: too many soft tokens on the device', hid, 'hid_error:6069', { code: 5502, guidance: 'twoFactor.deviceLimit', contact: 'it' }],
    ['[001:830] HID error 5203: no authentication type allowed for the user', hid, 'hid_error:5203', { code: 5502, guidance: 'twoFactor.notAllowed', contact: 'it' }],
  ] as const)('%s', (_seed, dialect, reason, expected) => {
    expect(dialect.rows[reason]).toMatchObject(expected);
  });

  it('offers no retry on any row where the user is blocked, locked or revoked', () => {
    const stuck = /blocked|locked|quarantine|revoked|passwordBlocked|notActivated|userDisabled/i;
    for (const dialect of Object.values(DIALECTS)) {
      for (const [reason, row] of Object.entries(dialect.rows)) {
        if (stuck.test(row.guidance)) expect(row.retry, `${dialect.name} ${reason}`).toBe(false);
      }
    }
  });

  it('keeps the cancel marker on the upstream cancel rows', () => {
    for (const [dialect, reason] of [[mitid, 'cancel'], [mitid, 'mitid_user_aborted'], [nemid, 'CAN002'], [nemid, 'CAN007'], [onespan, '1127']] as const) {
      expect(dialect.rows[reason]?.cancel, `${dialect.name} ${reason}`).toBe(true);
    }
  });

  it('names only links the table knows', () => {
    for (const dialect of Object.values(DIALECTS)) {
      for (const row of Object.values(dialect.rows)) for (const link of row.links ?? []) expect(Object.keys(PUBLIC_LINKS)).toContain(link);
    }
  });

  it('marks an integration fault for the error log and keeps the reason for it', () => {
    const error = translateErrorResponse(nemid, callback({ error: 'access_denied', nemid_error: 'SRV011' }), 'nemid-prod', fakeLog());
    expect(error.code).toBe(5501);
    expect(error.advice).toMatchObject({ retry: false, integration: true });
    expect(error.upstream).toMatchObject({ upstream: 'nemid-prod', dialect: 'nemid', reason: 'SRV011' });
    expect(translateErrorResponse(nemid, callback({ nemid_error: 'LOCK001' }), 'nemid-prod', fakeLog()).advice?.integration).toBeUndefined();
  });
});

describe('parsing what upstreams send', () => {
  it('lets a real hid_error win over hid_failure=-1 ("not defined")', () => {
    const error = translateErrorResponse(hid, callback({ error: 'access_denied', hid_failure: '-1', hid_error: '6078' }), 'hid', fakeLog());
    expect(error.code).toBe(5502);
    expect(error.guidance).toBe('twoFactor.certificate');
    expect(hid.reason(callback({ hid_failure: '-1' }))).toBe('hid_failure:-1');
  });

  it('reads a OneSpan STAT_* name instead of falling back to 5501', () => {
    const error = translateErrorResponse(onespan, callback({ error: 'access_denied', onespan_status: 'STAT_LOCKED' }), 'os', fakeLog());
    expect(error).toMatchObject({ code: 5502, guidance: 'twoFactor.locked' });
  });

  it.each([
    ['mitid-user-aborted', 'mitid_user_aborted'],
    ['User cancelled', 'user_cancelled'],
    ['mitid_core_client_error_user_abort', 'mitid_core_client_error_user_abort'],
    ['mitid_core_client_error: unknown: Error loading authenticator', 'mitid_core_client_error'],
    ['MITID_ERHVERV.NO_IDENTITIES', 'mitid_erhverv.no_identities'],
    ['IDP-3200', 'idp_3200'],
  ])('normalises the MitID label %j', (description, reason) => {
    expect(mitid.reason(callback({ error: 'access_denied', error_description: description }))).toBe(reason);
  });

  it('translates OpenID Connect’s unmet_authentication_requirements as a level refusal', () => {
    const error = translateErrorResponse(mitid, callback({ error: 'unmet_authentication_requirements' }), 'mitid', fakeLog());
    expect(error).toMatchObject({ code: 5502, guidance: 'mitid.assuranceLevel' });
  });

  it('has Signaturgruppen’s catalogue, aborts as cancels', () => {
    for (const label of ['user_aborted', 'mitid_erhverv_user_aborted', 'private_to_business_user_aborted', 'privilege_cvr_select_user_aborted', 'workflow_signing_aborted', 'declined_user_consent']) {
      expect(mitid.rows[label]?.cancel, label).toBe(true);
    }
    expect(mitid.rows.mitid_cpr_match_failed?.code).toBe(5500);
    expect(mitid.rows.mitid_timeout?.code).toBe(5500);
    expect(mitid.rows.mitid_uuid_hint_malformed).toMatchObject({ code: 5501, integration: true, retry: false });
    expect(mitid.rows.mitid_core_client_error_user_abort).toMatchObject({ code: 5500, help: 'mitid' });
  });
});

describe('error_aliases', () => {
  it('maps a broker’s own value to a known row, in the dialect’s normal form', () => {
    const { aliases, problems } = resolveAliases(mitid, { 'MitID-App-Locked': 'mitid_authenticator_blocked_temporarily', 'Login rejected': 'authfailed' });
    expect(problems).toEqual([]);
    const error = translateErrorResponse(mitid, callback({ error: 'access_denied', error_description: 'mitid_app_locked' }), 'mitid', fakeLog(), aliases);
    expect(error).toMatchObject({ code: 5502, guidance: 'mitid.blockedTemporarily' });
    expect(error.upstream?.reason).toBe('mitid_app_locked');
    expect(error.advice?.links).toContain('mitidAppPin');
  });

  it('normalises NemID and HID aliases the same way as the wire', () => {
    const { aliases } = resolveAliases(nemid, { 'lock-999': 'lock 001' });
    expect(translateErrorResponse(nemid, callback({ nemid_error: 'LOCK999' }), 'n', fakeLog(), aliases).guidance).toBe('nemid.quarantine');
    const hidAliases = resolveAliases(hid, { 'hid_error:7777': 'hid_failure:2' }).aliases;
    expect(translateErrorResponse(hid, callback({ hid_error: '7777' }), 'h', fakeLog(), hidAliases).guidance).toBe('twoFactor.locked');
  });

  it('reports an alias to a reason the dialect does not have', () => {
    expect(resolveAliases(nemid, { X1: 'LOCK042' }).problems).toEqual(['"X1" → "LOCK042": the nemid dialect has no reason "LOCK042"']);
    expect(resolveAliases(mitid, { x: 'constructor' }).problems).toHaveLength(1);
  });
});
