import { describe, expect, it } from 'vitest';
import { BrokerError } from '../../src/errors/broker-error.ts';
import { DIALECTS, getDialect, translateErrorResponse } from '../../src/upstream/dialects/index.ts';
import { callback, fakeLog, wrapped } from './helpers.ts';

const { nemid, hid, onespan, mitid, oidc } = DIALECTS;

function translate(dialect = nemid, query: Record<string, string> = {}) {
  const log = fakeLog();
  const error = translateErrorResponse(dialect, callback(query), 'upstream-x', log);
  return { error, log };
}

describe('translateErrorResponse', () => {
  it('gives a known reason its row’s code and guidance, and keeps what the upstream said', () => {
    const { error, log } = translate(nemid, { error: 'access_denied', nemid_error: 'LOCK001', error_description: 'locked' });
    expect(error).toBeInstanceOf(BrokerError);
    expect(error.code).toBe(5502);
    expect(error.guidance).toBe('nemid.quarantine');
    expect(error.upstream).toEqual({ upstream: 'upstream-x', dialect: 'nemid', reason: 'LOCK001', row: 'LOCK001', error: 'access_denied', description: 'locked' });
    expect(log.warn).not.toHaveBeenCalled();
  });

  it.each([
    ['nemid', nemid, { nemid_error: 'CAN002' }, 5500],
    ['hid failure', hid, { hid_failure: '2' }, 5502],
    ['hid error', hid, { hid_error: '1902' }, 5500],
    ['onespan', onespan, { onespan_status: '1004' }, 5500],
    ['mitid (IN Groupe, in error)', mitid, { error: 'cancel' }, 5500],
    ['mitid (Idura)', mitid, { error: 'access_denied', error_description: 'MITID_NONCE_COOKIE_MALFORMED' }, 5501],
    ['mitid (Signaturgruppen)', mitid, { error: 'access_denied', error_description: 'mitid_user_aborted' }, 5500],
  ] as const)('translates a %s reason', (_label, dialect, query, code) => {
    expect(translate(dialect, { error: 'access_denied', ...query }).error.code).toBe(code);
  });

  it.each([
    [nemid, { nemid_error: 'XYZ999' }, 'XYZ999'],
    [hid, { hid_failure: '9999' }, 'hid_failure:9999'],
    [onespan, { onespan_status: '4242' }, '4242'],
    [mitid, { error_description: 'some_new_label' }, 'some_new_label'],
    [mitid, { error: 'mitid_brand_new' }, 'mitid_brand_new'],
  ] as const)('falls back to 5501 and warns for a reason %s does not know', (dialect, query, reason) => {
    const { error, log } = translate(dialect, { error: 'access_denied', ...query });
    expect(error.code).toBe(5501);
    expect(error.guidance).toBeUndefined();
    expect(error.upstream?.reason).toBe(reason);
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.warn.mock.calls[0]![0]).toMatchObject({ dialect: dialect.name, reason });
  });

  it.each([
    ['temporarily_unavailable', 501],
    ['access_denied', 3003],
    ['login_required', 3003],
    ['server_error', 3003],
    ['interaction_required', 3003],
    ['something_else', 3003],
  ])('maps a plain OAuth error %s without a reason to %i', (oauthError, code) => {
    for (const dialect of [nemid, hid, onespan, oidc]) {
      const { error, log } = translate(dialect, { error: oauthError, error_description: 'The user said no' });
      expect(error.code).toBe(code);
      expect(error.guidance).toBeUndefined();
      expect(error.upstream).toMatchObject({ dialect: dialect.name, error: oauthError, reason: undefined });
      expect(log.warn).not.toHaveBeenCalled();
    }
  });

  it('maps a callback with no error at all to 3003', () => {
    expect(translate(nemid, {}).error.code).toBe(3003);
  });

  it('does not treat free text or standard OAuth codes in MitID error_description as reasons', () => {
    expect(translate(mitid, { error: 'access_denied', error_description: 'The login could not be completed' }).error.code).toBe(3003);
    expect(translate(mitid, { error: 'temporarily_unavailable', error_description: 'server_error' }).error.code).toBe(501);
  });

  it('does not look reasons up on the prototype', () => {
    for (const reason of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const { error, log } = translate(mitid, { error: 'access_denied', error_description: reason });
      expect(error.code).toBe(5501);
      expect(log.warn).toHaveBeenCalled();
    }
  });

  it('trims every upstream field to 200 characters', () => {
    const long = 'A'.repeat(5000);
    const { error, log } = translate(nemid, { error: long, error_description: long, nemid_error: long });
    const said = error.upstream!;
    for (const value of [said.reason, said.error, said.description]) expect(value).toHaveLength(200);
    expect(JSON.stringify(log.warn.mock.calls).length).toBeLessThan(1000);
    expect(error.detail!.length).toBeLessThan(400);
  });
});

describe('hostile callbacks', () => {
  const script = '<script>alert(document.cookie)</script><img src=x onerror=alert(1)>';
  const huge = 'x'.repeat(100_000);
  const queries: [string, Record<string, string>][] = [
    ['HTML in error_description', { error: 'access_denied', error_description: script }],
    ['HTML in every parameter', { error: script, error_description: script, nemid_error: script, hid_error: script, hid_failure: script, onespan_status: script }],
    ['100 kB parameters', { error: huge, error_description: huge, nemid_error: huge, hid_error: huge, onespan_status: huge }],
    ['bad base64 wrapper', { error: 'access_denied', error_description: 'base64UrlEnc-@@@not base64!!!' }],
    ['wrapper of bad JSON', { error: 'access_denied', error_description: `base64UrlEnc-${Buffer.from('{"Code":').toString('base64url')}` }],
    ['wrapper without Code', { error: 'access_denied', error_description: wrapped({ Description: 'x' }) }],
    ['wrapper with a non-string Code', { error: 'access_denied', error_description: wrapped({ Code: { nested: true } }) }],
    ['wrapper of a JSON null', { error: 'access_denied', error_description: wrapped(null) }],
    ['100 kB wrapper', { error: 'access_denied', error_description: `base64UrlEnc-${huge}` }],
    ['bad percent-encoding in wrapper', { error: 'access_denied', error_description: 'base64UrlEnc-%E0%A4%A' }],
    ['lone surrogates', { error: '\uD800'.repeat(300), error_description: '\uDFFF', nemid_error: '\uD83D'.repeat(201) }],
  ];

  it.each(queries)('%s gives a BrokerError without throwing', (_label, query) => {
    for (const dialect of Object.values(DIALECTS)) {
      let result: BrokerError | undefined;
      expect(() => {
        result = translateErrorResponse(dialect, callback(query), 'hostile', fakeLog());
      }).not.toThrow();
      expect(result).toBeInstanceOf(BrokerError);
      expect([501, 3003, 5500, 5501, 5502]).toContain(result!.code);
      for (const value of Object.values(result!.upstream ?? {})) {
        if (typeof value === 'string') expect(value.length).toBeLessThanOrEqual(200);
      }
    }
  });

  it('ignores a broken MitID wrapper and falls back to the OAuth error', () => {
    expect(translate(mitid, { error: 'access_denied', error_description: 'base64UrlEnc-@@@' }).error.code).toBe(3003);
    expect(translate(mitid, { error: 'cancel', error_description: 'base64UrlEnc-@@@' }).error.code).toBe(5500);
  });
});

describe('getDialect', () => {
  it('returns every registered dialect by name', () => {
    for (const name of ['mitid', 'nemid', 'hid', 'onespan', 'oidc']) expect(getDialect(name).name).toBe(name);
  });

  it('refuses an unknown name, including inherited property names', () => {
    expect(() => getDialect('saml')).toThrow(/saml/);
    expect(() => getDialect('constructor')).toThrow();
  });
});
