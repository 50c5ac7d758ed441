import type { Logger } from '../logger.ts';
import { ConfigError } from './config-error.ts';
import { configuredClients, type Config } from './model.ts';
import { isExampleSecret } from './example-secrets.ts';

/**
 * The one way to run production mode on demo-like settings (mock upstreams, http, test secrets):
 * for local tests and the benchmark only. Portvagt logs every problem it lets through at warn level.
 */
export const INSECURE_TEST_OPT_OUT = 'PORTVAGT_ALLOW_INSECURE_TEST_SETUP';

/** Secrets Portvagt makes itself must carry at least this many bytes of key material. */
const MIN_SECRET_BYTES = 32;

type Env = Record<string, string | undefined>;

export function isProduction(config: Config, env: Env): boolean {
  return config.server.production || env.NODE_ENV === 'production';
}

export function insecureTestSetupAllowed(env: Env): boolean {
  return env[INSECURE_TEST_OPT_OUT] === '1';
}

/** Every secret in the configuration, by its key, and whether Portvagt chose it (then it must be long). */
function secrets(config: Config): { key: string; value: string; own: boolean }[] {
  return [
    ...config.secrets.cookie_keys.map((value, i) => ({ key: `secrets.cookie_keys[${i}]`, value, own: true })),
    { key: 'secrets.cpr_hmac_key', value: config.secrets.cpr_hmac_key, own: true },
    ...config.secrets.cpr_hmac_previous_keys.map((value, i) => ({ key: `secrets.cpr_hmac_previous_keys[${i}]`, value, own: true })),
    ...(config.secrets.key_encryption_keys ?? []).map((value, i) => ({ key: `secrets.key_encryption_keys[${i}]`, value, own: true })),
    ...(config.ops.metrics_token ? [{ key: 'ops.metrics_token', value: config.ops.metrics_token, own: true }] : []),
    ...configuredClients(config).flatMap((c, i) => (c.secret ? [{ key: `clients[${i}].client_secret`, value: c.secret, own: true }] : [])),
    // An upstream's secret is issued by the upstream, in its length; only a known example value is refused.
    ...[...config.methods.values()].flatMap((m, i) => ('secret' in m.auth ? [{ key: `upstreams[${i}].client_secret`, value: m.auth.secret, own: false }] : [])),
  ];
}

/**
 * What makes a configuration unsafe to run in production, one short phrase each naming the key:
 * no configuration file named, the demo, built-in mock upstreams, example or short secrets, plain http.
 */
export function productionProblems(config: Config, options: { configFileNamed: boolean }): string[] {
  const problems: string[] = [];
  if (!options.configFileNamed) problems.push('no configuration file named (set PORTVAGT_CONFIG)');
  if (config.demo.enabled) problems.push('the demo is enabled (demo.enabled)');
  [...config.methods.values()].forEach((m, i) => {
    if (m.mock) problems.push(`upstreams[${i}] (${m.id}) is a built-in mock`);
  });
  for (const { key, value, own } of secrets(config)) {
    if (isExampleSecret(value)) problems.push(`${key} is a shipped example value`);
    else if (own && Buffer.byteLength(value.trim()) < MIN_SECRET_BYTES) problems.push(`${key} is shorter than ${MIN_SECRET_BYTES} bytes`);
  }
  if (new URL(config.server.base_url).protocol !== 'https:') problems.push('server.base_url is not https');
  return problems;
}

/**
 * What a production deployment most likely lacks but may run without, one phrase each naming the key:
 * an accessibility statement, which public bodies must link from every page (webtilgængelighedsloven).
 */
export function productionWarnings(config: Config): string[] {
  return config.accessibility_statement_url ? [] : ['no accessibility_statement_url: a public body must link its accessibility statement from every page'];
}

export interface ProductionVerdict {
  /** The one line to stop with, when production mode meets problems and no opt-out. */
  refusal?: string;
  /** Problems let through by the opt-out, to be logged loudly. */
  allowed: string[];
}

/** Decides whether this configuration may start: outside production always; in production only without problems, or with the opt-out. */
export function productionVerdict(config: Config, env: Env): ProductionVerdict {
  if (!isProduction(config, env)) return { allowed: [] };
  const problems = productionProblems(config, { configFileNamed: Boolean(env.PORTVAGT_CONFIG) });
  if (problems.length === 0) return { allowed: [] };
  if (insecureTestSetupAllowed(env)) return { allowed: problems };
  return { refusal: `refusing to start in production: ${problems.join('; ')}`, allowed: [] };
}

/** Stops a start the guard refuses (a ConfigError with its one line); logs loudly what the opt-out lets through. */
export function enforceProduction(config: Config, env: Env, log: Logger): void {
  const verdict = productionVerdict(config, env);
  if (verdict.refusal) throw new ConfigError(verdict.refusal);
  if (verdict.allowed.length) log.warn({ optOut: INSECURE_TEST_OPT_OUT, problems: verdict.allowed }, `${INSECURE_TEST_OPT_OUT}=1: production mode runs an INSECURE TEST SETUP`);
  if (isProduction(config, env)) for (const warning of productionWarnings(config)) log.warn({ key: warning.split(':')[0] }, warning);
}
