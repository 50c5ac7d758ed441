import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.ts';
import { configProblem as problem } from '../helpers/config-problem.ts';

const valid = () => ({
  secrets: { cookie_keys: ['k'.repeat(32)], cpr_hmac_key: 'c'.repeat(32) },
  tenants: [{ id: 'acme', name: 'Acme' }],
  clients: [{ client_id: 'rp', client_secret: 's'.repeat(16), display_name: 'RP', redirect_uris: ['https://rp.example/cb'], tenants: ['acme'], login_methods: ['mitid'] }],
  upstreams: [{ id: 'mitid', display_name: 'MitID', dialect: 'mitid', issuer: 'https://mitid.example', client_id: 'c', client_secret: 's' }],
});

describe('configuration', () => {
  it('accepts the demo configuration with its defaults', () => {
    const config = loadConfig({ PORTVAGT_CONFIG: 'config/demo.yaml' });
    expect(config.server.port).toBe(3000);
    expect(config.clients.get('demo')!.redirectUris).toEqual(['http://localhost:3000/demo/callback']);
    expect(config.timeouts.chooser).toBe(900);
  });

  it('moves the port, base URL and data directory from the environment', () => {
    const config = loadConfig({ PORTVAGT_CONFIG: 'config/demo.yaml', PORT: '4100', PORTVAGT_DATA_DIR: '/tmp/x' });
    expect(config.server.port).toBe(4100);
    expect(config.server.base_url).toBe('http://localhost:4100');
    expect(config.clients.get('demo')!.redirectUris).toEqual(['http://localhost:4100/demo/callback']);
    expect(config.storage.data_dir).toBe('/tmp/x');
  });

  it('takes secrets from the environment', () => {
    const config = parseConfig(valid(), { PORTVAGT_CLIENT_SECRET_RP: 'from-env-0123456789', PORTVAGT_UPSTREAM_SECRET_MITID: 'up', PORTVAGT_CPR_HMAC_KEY: 'e'.repeat(40) });
    expect(config.clients.get('rp')!.secret).toBe('from-env-0123456789');
    expect(config.methods.get('mitid')!.auth).toEqual({ method: 'client_secret_basic', secret: 'up' });
    expect(config.secrets.cpr_hmac_key).toBe('e'.repeat(40));
  });

  it('trims the items of a secret list from the environment, and a single secret', () => {
    const key = (n: number) => `${String(n).repeat(32)}`;
    const config = parseConfig(valid(), { PORTVAGT_COOKIE_KEYS: ` ${key(1)}, ${key(2)} ,`, PORTVAGT_CPR_HMAC_KEY: `${key(3)}\n`, PORTVAGT_CLIENT_SECRET_RP: ' from-env-0123456789 ' });
    expect(config.secrets.cookie_keys).toEqual([key(1), key(2)]);
    expect(config.secrets.cpr_hmac_key).toBe(key(3));
    expect(config.clients.get('rp')!.secret).toBe('from-env-0123456789');
    // Padding is no key material: ten characters and spaces are ten characters.
    expect(problem(valid(), { PORTVAGT_CPR_HMAC_KEY: `${'x'.repeat(10)}${' '.repeat(30)}` })).toContain('secrets.cpr_hmac_key: at least 32 characters');
  });

  it('refuses a secret in the file with surrounding whitespace, naming the key', () => {
    const raw = valid();
    raw.secrets.cookie_keys = [`${'k'.repeat(32)} `];
    (raw.clients[0] as Record<string, unknown>).client_secret = `\n${'s'.repeat(16)}`;
    const message = problem(raw);
    expect(message).toContain('secrets.cookie_keys[0]: has surrounding whitespace');
    expect(message).toContain('clients[0].client_secret: has surrounding whitespace');
  });

  it('names the bad key', () => {
    const raw = valid();
    raw.clients[0]!.redirect_uris = ['not a url'];
    expect(problem(raw)).toContain('clients[0].redirect_uris[0]');
  });

  it('names an unknown tenant or upstream referenced by a client', () => {
    const raw = valid();
    raw.clients[0]!.tenants = ['ghost'];
    raw.clients[0]!.login_methods = ['myspace'];
    const message = problem(raw);
    expect(message).toContain('clients[0].tenants[0]: unknown tenant "ghost"');
    expect(message).toContain('clients[0].login_methods[0]: unknown upstream "myspace"');
  });

  it('refuses short secrets and missing sections', () => {
    const raw: Record<string, unknown> = valid();
    (raw.secrets as Record<string, unknown>).cpr_hmac_key = 'short';
    delete raw.tenants;
    const message = problem(raw);
    expect(message).toContain('secrets.cpr_hmac_key');
    expect(message).toContain('tenants');
  });

  it('reports a missing file and invalid YAML as configuration errors', () => {
    expect(() => loadConfig({ PORTVAGT_CONFIG: '/nonexistent/portvagt.yaml' })).toThrow(/cannot read configuration file/);
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'bad.yaml'), 'server: [unclosed');
    expect(() => loadConfig({ PORTVAGT_CONFIG: join(dir, 'bad.yaml') })).toThrow(/not valid YAML/);
  });

  it('checks error_aliases against the upstream’s dialect at start, naming the key', () => {
    const raw = valid();
    Object.assign(raw.upstreams[0]!, { error_aliases: { 'MitID-App-Locked': 'mitid_authenticator_blocked_temporarily', other: 'no_such_reason' } });
    expect(problem(raw)).toMatch(/upstreams\[0\]\.error_aliases.*"other" → "no_such_reason".*no reason "no_such_reason"/);
    Object.assign(raw.upstreams[0]!, { error_aliases: { 'MitID-App-Locked': 'mitid_authenticator_blocked_temporarily' } });
    expect(parseConfig(raw, {}).methods.get('mitid')!.errorAliases).toEqual(new Map([['mitid_app_locked', 'mitid_authenticator_blocked_temporarily']]));
  });

  it('takes support contacts per deployment, tenant, client and upstream, in one or several languages', () => {
    const raw = { ...valid(), support: { name: { da: 'Kundeservice', en: 'Customer service' }, phone: '+45 70 10 20 30', email: 'support@acme.example', hours: 'Man–fre 8–16' } };
    Object.assign(raw.upstreams[0]!, { support: { name: 'MitID support', phone: '33 98 00 10', url: 'https://www.mitid.dk/' } });
    const config = parseConfig(raw, {});
    expect(config.support?.name).toEqual({ da: 'Kundeservice', en: 'Customer service' });
    expect(config.methods.get('mitid')!.support?.phone).toBe('33 98 00 10');
    expect(problem({ ...raw, support: { name: 'X', email: 'not-an-address' } })).toMatch(/support\.email/);
    expect(problem({ ...raw, support: { phone: '1' } })).toMatch(/support\.name/);
  });
});
