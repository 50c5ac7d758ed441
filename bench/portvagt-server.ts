/**
 * Portvagt in production mode for the benchmark: one upstream (the mock MitID in its own process), one
 * account, and one tenant's systems: the first client and the working day's others (bench/clients.ts). The configuration is a file named by PORTVAGT_CONFIG and passes the production guard
 * as a start does, with its named opt-out: the mock upstream is plain http and the secrets are the
 * benchmark's own, public ones.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadConfig } from '../src/config/load.ts';
import { enforceProduction, INSECURE_TEST_OPT_OUT } from '../src/config/production-guard.ts';
import { createLogger } from '../src/logger.ts';
import { startPortvagt } from '../src/portvagt.ts';
import { serveParent, settings } from './child.ts';
import type { BenchClient } from './clients.ts';
import { storeCounter } from './store-counts.ts';

export interface PortvagtSettings {
  port: number;
  upstreamIssuer: string;
  upstreamSecret: string;
  subject: string;
  client: BenchClient;
  /** The working day's systems besides `client`; optional so that a control checkout from before them still starts. */
  otherClients?: BenchClient[];
  dataDir: string;
  databaseUrl?: string | undefined;
  redisUrl?: string | undefined;
  redisPrefix?: string | undefined;
}

const s = settings<PortvagtSettings>('BENCH_PORTVAGT');
const file = join(s.dataDir, 'bench-portvagt.yaml');
writeFileSync(
  file,
  stringify({
    server: { port: s.port, base_url: `http://127.0.0.1:${s.port}` },
    secrets: { cookie_keys: ['bench-cookie-key-0123456789-0123456789'], cpr_hmac_key: 'bench-cpr-key-0123456789-0123456789' },
    storage: { data_dir: s.dataDir, database_url: s.databaseUrl, redis_url: s.redisUrl, ...(s.redisPrefix ? { redis_prefix: s.redisPrefix } : {}) },
    tenants: [{ id: 'bench', name: 'Bench A/S' }],
    clients: [s.client, ...(s.otherClients ?? [])].map((c, i) => ({
      client_id: c.id,
      client_secret: c.secret,
      display_name: i === 0 ? 'Bench System' : `Bench System ${i + 1}`,
      redirect_uris: [c.redirectUri],
      tenants: ['bench'],
      login_methods: ['mitid'],
    })),
    upstreams: [{ id: 'mitid', display_name: 'MitID', dialect: 'mitid', issuer: s.upstreamIssuer, client_id: 'portvagt', client_secret: s.upstreamSecret, provides_cpr: true }],
  }),
);
const env = { ...process.env, PORTVAGT_CONFIG: file, [INSECURE_TEST_OPT_OUT]: '1' };
const config = loadConfig(env);
const log = createLogger();
enforceProduction(config, env, log);
const counter = storeCounter();
const portvagt = await startPortvagt(config, { log, observeStores: counter.observe });
const account = await portvagt.accounts.create({ tenant: 'bench', username: 'bench.user', displayName: 'Bench User' });
await portvagt.accounts.link(account.id, { method: 'mitid', issuer: s.upstreamIssuer, subject: s.subject });
serveParent(portvagt.url, () => portvagt.close(), counter.counts);
