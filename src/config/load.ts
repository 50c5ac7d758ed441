import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './config-error.ts';
import { insecureTestSetupAllowed } from './production-guard.ts';
import { configModel, type Config } from './model.ts';
import { configSchema } from './schema.ts';

export const DEFAULT_CONFIG_FILE = 'config/demo.yaml';

export { ConfigError };

type Env = Record<string, string | undefined>;

/**
 * Reads the YAML file named by PORTVAGT_CONFIG (default: the demo configuration) and validates it.
 * Production never falls back to the demo: there the file must be named.
 */
export function loadConfig(env: Env = process.env): Config {
  if (!env.PORTVAGT_CONFIG && env.NODE_ENV === 'production' && !insecureTestSetupAllowed(env)) {
    throw new ConfigError('refusing to start in production: no configuration file named (set PORTVAGT_CONFIG)');
  }
  const file = env.PORTVAGT_CONFIG ?? DEFAULT_CONFIG_FILE;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read configuration file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  return parseConfig(raw, env, file);
}

/** Validates a configuration object after applying environment overrides (secrets, ports, stores), and makes its model. */
export function parseConfig(raw: unknown, env: Env = {}, source = 'configuration'): Config {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(`${source} must be a mapping of keys`);
  }
  const withEnv = applyEnv(structuredClone(raw) as Record<string, unknown>, env);
  const result = configSchema.safeParse(substituteBaseUrl(withEnv));
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${formatPath(issue.path) || '(top level)'}: ${issue.message}`);
    throw new ConfigError(`invalid ${source}:\n${lines.join('\n')}`);
  }
  return configModel(result.data);
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

function section(raw: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = raw[key];
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  const created: Record<string, unknown> = {};
  raw[key] = created;
  return created;
}

/** A secret list from the environment: comma-separated, each item trimmed (a space after the comma is no key material). */
const envList = (value: string) => value.split(',').map((item) => item.trim()).filter(Boolean);

const envKey = (id: string) => id.toUpperCase().replace(/[^A-Z0-9]/g, '_');

function applyEnv(raw: Record<string, unknown>, env: Env): Record<string, unknown> {
  const server = section(raw, 'server');
  if (env.PORT) server.port = Number(env.PORT);
  if (env.HOST) server.host = env.HOST;
  if (env.PORTVAGT_BASE_URL) server.base_url = env.PORTVAGT_BASE_URL;
  server.base_url ??= `http://localhost:${String(server.port ?? 3000)}`;
  if (env.NODE_ENV === 'production') server.production = true;
  const storage = section(raw, 'storage');
  if (env.PORTVAGT_DATA_DIR) storage.data_dir = env.PORTVAGT_DATA_DIR;
  if (env.DATABASE_URL) storage.database_url = env.DATABASE_URL;
  if (env.REDIS_URL) storage.redis_url = env.REDIS_URL;
  const secrets = section(raw, 'secrets');
  if (env.PORTVAGT_COOKIE_KEYS) secrets.cookie_keys = envList(env.PORTVAGT_COOKIE_KEYS);
  if (env.PORTVAGT_CPR_HMAC_KEY) secrets.cpr_hmac_key = env.PORTVAGT_CPR_HMAC_KEY.trim();
  if (env.PORTVAGT_CPR_HMAC_PREVIOUS_KEYS) secrets.cpr_hmac_previous_keys = envList(env.PORTVAGT_CPR_HMAC_PREVIOUS_KEYS);
  if (env.PORTVAGT_KEY_ENCRYPTION_KEYS) secrets.key_encryption_keys = envList(env.PORTVAGT_KEY_ENCRYPTION_KEYS);
  if (env.PORTVAGT_METRICS_TOKEN) section(raw, 'ops').metrics_token = env.PORTVAGT_METRICS_TOKEN.trim();
  if (env.PORTVAGT_SMTP_PASSWORD) section(raw, 'smtp').password = env.PORTVAGT_SMTP_PASSWORD.trim();
  for (const [list, idKey, prefix] of [
    ['clients', 'client_id', 'PORTVAGT_CLIENT_SECRET_'],
    ['upstreams', 'id', 'PORTVAGT_UPSTREAM_SECRET_'],
  ] as const) {
    const entries = raw[list];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      if (!entry || typeof entry !== 'object') continue;
      const secret = env[prefix + envKey(String((entry as Record<string, unknown>)[idKey]))]?.trim();
      if (secret) (entry as Record<string, unknown>).client_secret = secret;
      const key = list === 'upstreams' ? env[`PORTVAGT_UPSTREAM_KEY_${envKey(String((entry as Record<string, unknown>).id))}`] : undefined;
      if (key) (entry as Record<string, unknown>).private_key = key;
    }
  }
  return raw;
}

/** `{base_url}` in any string stands for the broker's public base URL (demo RPs beside the broker). */
function substituteBaseUrl(raw: Record<string, unknown>): unknown {
  const baseUrl = (raw.server as Record<string, unknown>).base_url;
  const base = typeof baseUrl === 'string' ? baseUrl : '';
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replaceAll('{base_url}', base.replace(/\/$/, ''));
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return walk(raw);
}
