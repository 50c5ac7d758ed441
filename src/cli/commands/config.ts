import { configuredClients, type Config } from '../../config/model.ts';
import { isProduction, productionProblems } from '../../config/production-guard.ts';
import type { Command } from '../command.ts';

/** A store URL without user or password, for a summary that may be pasted into a ticket. */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}

function summary(config: Config, file: string, env: Record<string, string | undefined>) {
  const { storage } = config;
  const durable = storage.database_url && /^postgres(ql)?:/.test(storage.database_url) ? `PostgreSQL ${withoutCredentials(storage.database_url)}` : `SQLite ${storage.database_url?.replace(/^sqlite:/, '') ?? `${storage.data_dir}/portvagt.db`}`;
  const ephemeral = storage.redis_url === 'memory' ? 'memory (lost on restart)' : storage.redis_url ? `Redis ${withoutCredentials(storage.redis_url)}` : `SQLite ${storage.data_dir}/ephemeral.db`;
  return {
    file,
    base_url: config.server.base_url,
    durable_store: durable,
    ephemeral_store: ephemeral,
    tenants: [...config.tenants.values()].map((t) => ({ id: t.id, name: t.name, require_cpr_match: t.requireCprMatch })),
    clients: configuredClients(config).map((c) => ({ client_id: c.id, enabled: c.enabled, tenants: c.tenants, login_methods: c.loginMethods, management_scopes: c.managementScopes })),
    upstreams: [...config.methods.values()].map((m) => ({
      id: m.id,
      profile: m.profileName,
      dialect: m.profile.dialect,
      token_endpoint_auth_method: m.auth.method,
      issuer: m.mock?.mounted ? `built-in mock (${m.mock.kind})` : m.issuer,
    })),
    demo: config.demo.enabled,
    production: isProduction(config, env),
    production_problems: productionProblems(config, { configFileNamed: Boolean(env.PORTVAGT_CONFIG) }),
  };
}

const check: Command = {
  name: 'config check',
  args: [],
  summary: 'validate the configuration and summarise it (secrets left out); in production, what would stop the start',
  async run(input) {
    const s = summary(input.config(), input.configFile, input.env);
    const refused = s.production && s.production_problems.length > 0;
    const human = [
      refused ? `Configuration ${s.file} is valid, but production refuses it.` : `Configuration ${s.file} is valid.`,
      `  base URL:        ${s.base_url}`,
      `  durable store:   ${s.durable_store}`,
      `  ephemeral store: ${s.ephemeral_store}`,
      `  tenants:         ${s.tenants.map((t) => `${t.id} (${t.name})`).join(', ')}`,
      `  clients:         ${s.clients.map((c) => `${c.client_id}${c.enabled ? '' : ' [disabled]'}${c.management_scopes.length ? ' [management]' : ''}`).join(', ')}`,
      `  upstreams:       ${s.upstreams.map((u) => `${u.id} (${u.profile}, ${u.dialect}, ${u.token_endpoint_auth_method})`).join(', ')}`,
      ...(s.demo ? ['  demo:            enabled (mock upstreams and the demo systems are mounted)'] : []),
      ...(s.production_problems.length ? [refused ? 'Production refuses it because:' : 'Production would refuse it because:', ...s.production_problems.map((p) => `  - ${p}`)] : []),
    ].join('\n');
    input.out.print(s, human);
    if (refused) throw new Error(`production refuses ${s.file} (${s.production_problems.length} problems, listed above)`);
  },
};

export const configCommands: Command[] = [check];
