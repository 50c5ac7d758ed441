import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../src/upstream/dialects/index.ts';
import { callback, wrapped } from './helpers.ts';

const { nemid, hid, onespan, mitid, oidc } = DIALECTS;

describe('encode round-trips through reason', () => {
  it.each(Object.values(DIALECTS).map((d) => [d.name, d] as const))('%s', (_name, dialect) => {
    const broken = Object.keys(dialect.rows).filter((reason) => dialect.reason(callback(dialect.encode(reason))) !== reason);
    expect(broken).toEqual([]);
  });

  it('sends the documented parameters', () => {
    expect(nemid.encode('LOCK001')).toEqual({ error: 'access_denied', nemid_error: 'LOCK001' });
    expect(hid.encode('hid_error:1000')).toEqual({ error: 'access_denied', hid_error: '1000' });
    expect(hid.encode('hid_failure:-1')).toEqual({ error: 'access_denied', hid_failure: '-1' });
    expect(onespan.encode('1004')).toEqual({ error: 'access_denied', onespan_status: '1004' });
    expect(mitid.encode('mitid_nonce_cookie_missing')).toEqual({ error: 'access_denied', error_description: 'MITID_NONCE_COOKIE_MISSING' });
    expect(mitid.encode('mitid_core_client_error')).toEqual({ error: 'access_denied', error_description: 'MitID Core Client error' });
    expect(oidc.encode('login_required')).toEqual({ error: 'login_required' });
  });

  it('encodes reasons a dialect does not know so that they come back as unknown reasons', () => {
    expect(nemid.reason(callback(nemid.encode('NEW042')))).toBe('NEW042');
    expect(hid.reason(callback(hid.encode('NEW042')))).toBe('hid_error:NEW042');
    expect(onespan.reason(callback(onespan.encode('NEW042')))).toBe('NEW042');
    expect(mitid.reason(callback(mitid.encode('NEW042')))).toBe('new042');
  });
});

describe('reason normalisation', () => {
  it('is undefined when the dialect’s parameter is absent or blank', () => {
    expect(nemid.reason(callback({ error: 'access_denied' }))).toBeUndefined();
    expect(nemid.reason(callback({ nemid_error: '   ' }))).toBeUndefined();
    expect(hid.reason(callback({ hid_error: '', hid_failure: ' ' }))).toBeUndefined();
    expect(onespan.reason(callback({ onespan_status: '\t' }))).toBeUndefined();
    expect(mitid.reason(callback({}))).toBeUndefined();
    expect(mitid.reason(callback({ error: 'access_denied' }))).toBeUndefined();
    expect(oidc.reason(callback({ error: 'access_denied', error_description: 'cancel' }))).toBeUndefined();
  });

  it('ignores case and whitespace', () => {
    expect(nemid.reason(callback({ nemid_error: ' lock 001\n' }))).toBe('LOCK001');
    expect(hid.reason(callback({ hid_failure: ' 02 ' }))).toBe('hid_failure:2');
    expect(hid.reason(callback({ hid_failure: '-01' }))).toBe('hid_failure:-1');
    expect(hid.reason(callback({ hid_error: '+1000' }))).toBe('hid_error:1000');
    expect(onespan.reason(callback({ onespan_status: ' 01004' }))).toBe('1004');
    expect(mitid.reason(callback({ error_description: '  CANCEL ' }))).toBe('cancel');
    expect(mitid.reason(callback({ error_description: 'mitid_nonce_cookie_missing' }))).toBe('mitid_nonce_cookie_missing');
    expect(mitid.reason(callback({ error_description: 'MitID   core client ERROR' }))).toBe('mitid_core_client_error');
  });

  it('prefers hid_failure over hid_error when both are sent', () => {
    expect(hid.reason(callback({ hid_error: '950', hid_failure: '13' }))).toBe('hid_failure:13');
  });

  it('finds a MitID label in error when error_description is free text', () => {
    expect(mitid.reason(callback({ error: 'inpro', error_description: 'An identification is already running' }))).toBe('inpro');
  });
});

describe('the base64url JSON wrapper in MitID error_description', () => {
  it('decodes and looks up its Code', () => {
    const description = wrapped({ Description: 'Login cancelled by the user.', Displayed: 'true', Code: 'cancel' });
    expect(mitid.reason(callback({ error: 'access_denied', error_description: description }))).toBe('cancel');
  });

  it('decodes the wrapper when its padding is still URL-encoded', () => {
    const body = Buffer.from(JSON.stringify({ Description: 'x', Displayed: 'false', Code: 'IDEXPIRED' })).toString('base64');
    const description = `base64UrlEnc-${body.replace(/=/g, '%3D')}`;
    expect(mitid.reason(callback({ error_description: description }))).toBe('idexpired');
  });

  it('gives an unknown Code to the unknown-reason path', () => {
    const description = wrapped({ Description: 'A technical error has occurred.', Displayed: 'true', Code: 'CUR_ERR021' });
    expect(mitid.reason(callback({ error_description: description }))).toBe('cur_err021');
  });

  it('lets a wrapped Code win over a label in error', () => {
    const description = wrapped({ Code: 'blankcvr' });
    expect(mitid.reason(callback({ error: 'cancel', error_description: description }))).toBe('blankcvr');
  });
});
