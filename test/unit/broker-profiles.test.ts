import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { meets, nsisUri, strictest } from '../../src/assurance.ts';
import { parseConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/model.ts';
import { configProblem as problem } from '../helpers/config-problem.ts';
import { parseClientKey } from '../../src/crypto/client-key.ts';
import { PROFILES, resolveProfile } from '../../src/upstream/profiles/index.ts';
import { amrOf, claimValue, levelOf } from '../../src/upstream/profiles/read.ts';

const dir = mkdtempSync(join(tmpdir(), 'portvagt-profile-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const rsaPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;

const withUpstream = (upstream: Record<string, unknown>) => ({
  secrets: { cookie_keys: ['k'.repeat(32)], cpr_hmac_key: 'c'.repeat(32) },
  tenants: [{ id: 'acme', name: 'Acme' }],
  clients: [{ client_id: 'rp', client_secret: 's'.repeat(16), display_name: 'RP', redirect_uris: ['https://rp.example/cb'], tenants: ['acme'], login_methods: ['mitid'] }],
  upstreams: [{ id: 'mitid', display_name: 'MitID', issuer: 'https://broker.example', client_id: 'c', client_secret: 's', ...upstream }],
});

describe('broker profiles', () => {
  it('reads a dotted claim name as one key, never as a path into an object', () => {
    const sg = PROFILES.signaturgruppen;
    expect(claimValue(sg, { 'dk.cpr': '1204851234' }, 'cpr')).toBe('1204851234');
    expect(claimValue(sg, { dk: { cpr: '1204851234' } }, 'cpr')).toBeUndefined();
    // MitID Erhverv's CPR comes under another name at the same broker.
    expect(claimValue(sg, { 'nemlogin.cpr': '1204851234' }, 'cpr')).toBe('1204851234');
    expect(claimValue(PROFILES.idura, { cvrNumberIdentifier: 12345678 }, 'cvr')).toBe('12345678');
  });

  it('turns each broker\'s level into the NSIS level, whatever its spelling and case', () => {
    expect(levelOf(PROFILES.signaturgruppen, { loa: 'https://data.gov.dk/concept/core/nsis/Substantial' })).toBe('substantial');
    expect(levelOf(PROFILES.idura, { acr: 'urn:grn:authn:dk:mitid:high' })).toBe('high');
    expect(levelOf(PROFILES.signicat, { mitid_loa: 'SUBSTANTIAL', acr: 'idp:mitid' })).toBe('substantial');
    expect(levelOf(PROFILES['generic-oidc'], { acr: 'https://refeds.org/profile/mfa' })).toBeUndefined();
    expect(levelOf(PROFILES.idura, { acr: ['urn:grn:authn:dk:mitid:high'] })).toBeUndefined();
  });

  it('keeps only label-shaped authenticators from amr', () => {
    expect(amrOf(PROFILES.signaturgruppen, { amr: ['code_app', '<script>', 'mitid:password'] })).toEqual(['code_app', 'mitid:password']);
    expect(amrOf(PROFILES.signaturgruppen, { amr: 'code_token' })).toEqual(['code_token']);
  });

  it('lets the configuration override a profile per key and keeps the rest', () => {
    const profile = resolveProfile({
      profile: 'signaturgruppen',
      claims: { cvr: 'custom.cvr' },
      scope: 'openid nemlogin ssn',
      level_values: { 'urn:example:loa3': 'substantial' },
    });
    expect(profile.claims.cvr).toEqual(['custom.cvr']);
    expect(profile.claims.cpr).toEqual(['dk.cpr', 'nemlogin.cpr']);
    expect(profile.scope).toBe('openid nemlogin ssn');
    expect(levelOf(profile, { loa: 'urn:example:loa3' })).toBe('substantial');
    expect(profile.level.request?.parameter).toBe('idp_params');
    expect(JSON.parse(profile.level.request!.values.high)).toEqual({ mitid: { loa_value: 'high' } });
    const fixed = resolveProfile({ profile: 'idura', acr_values: 'urn:grn:authn:dk:mitid:business', dialect: 'oidc' });
    expect(fixed.level.request).toEqual({ parameter: 'acr_values', values: { low: 'urn:grn:authn:dk:mitid:business', substantial: 'urn:grn:authn:dk:mitid:business', high: 'urn:grn:authn:dk:mitid:business' } });
    expect(fixed.dialect).toBe('oidc');
  });

  it('orders NSIS levels and gives relying parties their URI', () => {
    expect(meets('high', 'substantial')).toBe(true);
    expect(meets('low', 'substantial')).toBe(false);
    expect(strictest('low', 'high', 'substantial')).toBe('high');
    expect(nsisUri('substantial')).toBe('https://data.gov.dk/concept/core/nsis/loa/Substantial');
  });
});

describe('upstream configuration errors name the key', () => {
  it('an unknown profile', () => {
    expect(problem(withUpstream({ profile: 'nets' }))).toMatch(/upstreams\[0\]\.profile: .*signaturgruppen/);
  });

  it('a claim field no profile knows', () => {
    expect(problem(withUpstream({ profile: 'idura', claims: { cprr: 'x' } }))).toMatch(/upstreams\[0\]\.claims/);
  });

  it('a private key file that does not parse, or is missing', () => {
    const garbage = file('garbage.pem', '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n');
    expect(problem(withUpstream({ token_endpoint_auth_method: 'private_key_jwt', private_key_file: garbage }))).toContain(
      'upstreams[0].private_key_file: not a PEM private key or a private JWK',
    );
    expect(problem(withUpstream({ token_endpoint_auth_method: 'private_key_jwt', private_key_file: join(dir, 'absent.pem') }))).toMatch(
      /upstreams\[0\]\.private_key_file: cannot read .*ENOENT/,
    );
  });

  it('a key from the environment that does not parse, never echoing it', () => {
    const message = problem(withUpstream({ token_endpoint_auth_method: 'private_key_jwt' }), { PORTVAGT_UPSTREAM_KEY_MITID: 'secret-ish text' });
    expect(message).toContain('upstreams[0].private_key: not a PEM private key or a private JWK');
    expect(message).not.toContain('secret-ish');
  });

  it('a public key where the private one belongs', () => {
    const publicPem = file('public.pem', generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'pem', type: 'spki' }) as string);
    expect(problem(withUpstream({ token_endpoint_auth_method: 'private_key_jwt', private_key_file: publicPem }))).toContain('upstreams[0].private_key_file');
  });

  it('a missing secret or key for the chosen method', () => {
    expect(problem(withUpstream({ client_secret: undefined, token_endpoint_auth_method: 'client_secret_post' }))).toContain('upstreams[0].client_secret: required for client_secret_post');
    expect(problem(withUpstream({ token_endpoint_auth_method: 'private_key_jwt' }))).toContain('upstreams[0].private_key_file: required for private_key_jwt');
  });

  it('accepts a PEM file and a JWK from the environment', () => {
    const pem = file('rsa.pem', rsaPem);
    const publicKey = (config: Config) => config.methods.get('mitid')!.auth;
    expect(publicKey(parseConfig(withUpstream({ token_endpoint_auth_method: 'private_key_jwt', private_key_file: pem })))).toMatchObject({ key: { publicJwk: parseClientKey(rsaPem).publicJwk } });
    const jwk = JSON.stringify({ ...generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }), kid: 'k1' });
    const config = parseConfig(withUpstream({ token_endpoint_auth_method: 'private_key_jwt' }), { PORTVAGT_UPSTREAM_KEY_MITID: jwk });
    expect(publicKey(config)).toMatchObject({ key: { publicJwk: parseClientKey(jwk).publicJwk } });
  });
});

describe('client keys', () => {
  it('publishes only the public half, with the JWK\'s kid or the key\'s thumbprint', () => {
    const rsa = parseClientKey(rsaPem);
    expect(rsa.alg).toBe('RS256');
    expect(rsa.publicJwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: rsa.kid });
    expect(rsa.publicJwk).not.toHaveProperty('d');
    expect(parseClientKey(rsaPem).kid).toBe(rsa.kid);
    const ec = parseClientKey(JSON.stringify({ ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), kid: 'mine' }));
    expect(ec).toMatchObject({ alg: 'ES256', kid: 'mine' });
    expect(ec.publicJwk).not.toHaveProperty('d');
  });
});
