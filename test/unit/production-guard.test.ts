import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isExampleSecret } from '../../src/config/example-secrets.ts';
import { ConfigError, loadConfig } from '../../src/config/load.ts';
import { INSECURE_TEST_OPT_OUT, productionProblems, productionVerdict, productionWarnings } from '../../src/config/production-guard.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const strong = () => randomBytes(32).toString('base64url');

/** config/example.yaml with every secret given through the environment, as its header says. */
function exampleEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    PORTVAGT_CONFIG: 'config/example.yaml',
    PORTVAGT_COOKIE_KEYS: strong(),
    PORTVAGT_CPR_HMAC_KEY: strong(),
    PORTVAGT_CLIENT_SECRET_IMS: strong(),
    PORTVAGT_UPSTREAM_SECRET_MITID: strong(),
    PORTVAGT_UPSTREAM_SECRET_MITID_ERHVERV: strong(),
    PORTVAGT_UPSTREAM_SECRET_NEMID: strong(),
    PORTVAGT_UPSTREAM_SECRET_NORDIGO_2FA: strong(),
    ...extra,
  };
}

/** Runs a bin entry (`start.js` for `npm start`, `portvagt.js` for the CLI) in an environment of its own. */
function run(entry: string, env: Record<string, string>, args: string[] = []) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PORTVAGT_') && k !== 'NODE_ENV' && k !== 'DATABASE_URL' && k !== 'REDIS_URL'));
  return spawnSync(process.execPath, [`bin/${entry}`, ...args], { cwd: ROOT, env: { ...clean, PORT: '0', ...env }, encoding: 'utf8', timeout: 30_000 });
}
const start = (env: Record<string, string>) => run('start.js', env);

describe('the production guard', () => {
  it('refuses a shipped example key given through the environment with a stray space or line break', () => {
    const verdict = productionVerdict(loadConfig(exampleEnv({ PORTVAGT_COOKIE_KEYS: 'demo-cookie-key-not-for-production-0001\n' })), exampleEnv());
    expect(verdict.refusal).toContain('secrets.cookie_keys[0] is a shipped example value');
    expect(isExampleSecret(' test-cpr-key-0123456789-0123456789 ')).toBe(true);
  });

  it('lets a production configuration with real secrets start', () => {
    expect(productionVerdict(loadConfig(exampleEnv()), exampleEnv())).toEqual({ allowed: [] });
  });

  it('warns, without refusing, when no accessibility statement is configured', () => {
    const config = loadConfig(exampleEnv());
    expect(productionWarnings(config)).toEqual([]);
    const without = { ...config, accessibility_statement_url: undefined };
    expect(productionWarnings(without)).toEqual([expect.stringContaining('accessibility_statement_url')]);
    expect(productionVerdict(without, exampleEnv())).toEqual({ allowed: [] });
  });

  it('refuses the demo configuration in production, naming every problem on one line', () => {
    const env = { NODE_ENV: 'production', PORTVAGT_CONFIG: 'config/demo.yaml' };
    const { refusal } = productionVerdict(loadConfig(env), env);
    expect(refusal).toMatch(/^refusing to start in production: /);
    expect(refusal).not.toContain('\n');
    for (const problem of [
      'the demo is enabled (demo.enabled)',
      'upstreams[0] (mitid) is a built-in mock',
      'secrets.cookie_keys[0] is a shipped example value',
      'secrets.cpr_hmac_key is a shipped example value',
      'clients[0].client_secret is a shipped example value',
      'upstreams[3].client_secret is a shipped example value',
      'server.base_url is not https',
    ]) expect(refusal).toContain(problem);
    // The secrets themselves are never repeated.
    expect(refusal).not.toContain('not-for-production');
  });

  it('refuses secrets Portvagt makes that are shorter than 32 bytes, and http', () => {
    const env = exampleEnv({ PORTVAGT_CLIENT_SECRET_IMS: 'sixteen-chars-ok', PORTVAGT_METRICS_TOKEN: 'a-token-of-24-characters', PORTVAGT_BASE_URL: 'http://login.example.dk' });
    expect(productionProblems(loadConfig(env), { configFileNamed: true })).toEqual([
      'ops.metrics_token is shorter than 32 bytes',
      'clients[0].client_secret is shorter than 32 bytes',
      'server.base_url is not https',
    ]);
  });

  it('never falls back to the demo configuration in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(new ConfigError('refusing to start in production: no configuration file named (set PORTVAGT_CONFIG)'));
    // server.production in a file found by default counts too: the file must be named.
    expect(productionProblems(loadConfig(exampleEnv()), { configFileNamed: false })).toEqual(['no configuration file named (set PORTVAGT_CONFIG)']);
  });

  it('lets the named opt-out through, listing what it allows', () => {
    const env = { NODE_ENV: 'production', PORTVAGT_CONFIG: 'config/demo.yaml', [INSECURE_TEST_OPT_OUT]: '1' };
    const verdict = productionVerdict(loadConfig(env), env);
    expect(verdict.refusal).toBeUndefined();
    expect(verdict.allowed).toContain('the demo is enabled (demo.enabled)');
    // Anything but exactly "1" is no opt-out.
    expect(productionVerdict(loadConfig(env), { ...env, [INSECURE_TEST_OPT_OUT]: 'true' }).refusal).toBeDefined();
  });

  it('knows every secret shipped in the repository as an example value', () => {
    const shipped = [
      ...readFileSync(join(ROOT, 'config/demo.yaml'), 'utf8').matchAll(/(?:cookie_keys: \["|cpr_hmac_key: "|client_secret: )([^"\s\]]+)/g),
      ...readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8').matchAll(/PORTVAGT_[A-Z_]*(?:KEYS?|SECRET_[A-Z_0-9]+|TOKEN): (?:\$\{[A-Z_]+:-)?([^}\s]+)/g),
      ...readFileSync(join(ROOT, 'scripts/cluster.ts'), 'utf8').matchAll(/PORTVAGT_[A-Z_]*(?:KEYS?|SECRET_[A-Z_0-9]+): '([^']+)'/g),
    ].map((m) => m[1]!);
    expect(shipped.length).toBeGreaterThanOrEqual(20);
    expect(shipped.filter((s) => !isExampleSecret(s))).toEqual([]);
  });

  it('stops `npm start` in production without a configuration, with one line and no stack trace', () => {
    const result = start({ NODE_ENV: 'production' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('portvagt: refusing to start in production: no configuration file named (set PORTVAGT_CONFIG)\n');
  });

  it('stops `npm start` on the demo configuration in production', () => {
    const result = start({ NODE_ENV: 'production', PORTVAGT_CONFIG: 'config/demo.yaml' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^portvagt: refusing to start in production: .*the demo is enabled/)]);
  });

  it('makes `config check` report the same problems and fail in production', () => {
    const refused = run('portvagt.js', { NODE_ENV: 'production', PORTVAGT_CONFIG: 'config/demo.yaml' }, ['config', 'check']);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/^Configuration config\/demo\.yaml is valid, but production refuses it\.\n/);
    expect(refused.stdout).toMatch(/\nProduction refuses it because:\n {2}- the demo is enabled \(demo\.enabled\)\n( {2}- .*\n)* {2}- server\.base_url is not https\n$/);
    expect(refused.stderr).toBe('portvagt: failed: production refuses config/demo.yaml (14 problems, listed above)\n');
    // Outside production the same problems are listed as what production would refuse.
    const development = run('portvagt.js', { PORTVAGT_CONFIG: 'config/demo.yaml' }, ['config', 'check']);
    expect(development.status).toBe(0);
    expect(development.stdout).toMatch(/Production would refuse it because:\n( {2}- .*\n)* {2}- server\.base_url is not https/);
    expect(run('portvagt.js', exampleEnv(), ['config', 'check']).stdout).not.toMatch(/refuse/);
  });
});
