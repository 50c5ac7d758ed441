import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.ts';

const dir = mkdtempSync(join(tmpdir(), 'portvagt-cli-jwk-'));
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const keyFile = join(dir, 'broker-key.pem');
writeFileSync(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }));
const configFile = join(dir, 'portvagt.yaml');
writeFileSync(
  configFile,
  stringify({
    secrets: { cookie_keys: ['cli-test-cookie-key-0123456789-0123456789'], cpr_hmac_key: 'cli-test-cpr-key-0123456789-0123456789' },
    tenants: [{ id: 'acme', name: 'Acme A/S' }],
    clients: [{ client_id: 'ims', client_secret: 'ims-secret-0123456789', display_name: 'IMS', redirect_uris: ['https://ims.example/cb'], tenants: ['acme'], login_methods: ['mitid'] }],
    upstreams: [
      { id: 'mitid', display_name: 'MitID', profile: 'signaturgruppen', issuer: 'https://broker.example', client_id: 'portvagt', token_endpoint_auth_method: 'private_key_jwt', private_key_file: keyFile },
      { id: 'nemid', display_name: 'NemID', dialect: 'nemid', issuer: 'https://nemid.example', client_id: 'portvagt', client_secret: 'secret' },
    ],
  }),
);

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) => new Writable({ write: (chunk, _enc, done) => (append(String(chunk)), done()) });
  const code = await runCli(args, {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    stdin: new PassThrough(),
    env: { PORTVAGT_CONFIG: configFile, PORTVAGT_DATA_DIR: join(dir, 'data') },
  });
  return { code, stdout, stderr };
}

describe('portvagt upstreams jwk', () => {
  it('prints the public JWK to register at the broker, which verifies what the private key signs', async () => {
    const result = await cli(['upstreams', 'jwk', 'mitid', '--json']);
    expect(result.code).toBe(0);
    const jwk = JSON.parse(result.stdout) as Record<string, string>;
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwk).not.toHaveProperty('d');
    const data = Buffer.from('assertion');
    expect(verify('sha256', data, createPublicKey({ key: jwk, format: 'jwk' }), sign('sha256', data, privateKey))).toBe(true);
    const human = await cli(['upstreams', 'jwk', 'mitid']);
    expect(JSON.parse(human.stdout)).toEqual({ keys: [jwk] });
  });

  it('refuses an upstream without private_key_jwt and an unknown one, with exit code 2', async () => {
    const secret = await cli(['upstreams', 'jwk', 'nemid']);
    expect(secret.code).toBe(2);
    expect(secret.stderr).toContain('upstream "nemid" authenticates with client_secret_basic, not private_key_jwt');
    const unknown = await cli(['upstreams', 'jwk', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown upstream "nope"');
  });
});
