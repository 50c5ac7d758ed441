/**
 * The docker-compose topology as local processes, on this machine's PostgreSQL and Redis:
 *
 *   load balancer :8080 ──┬─ /mock/*, /demo*  → devtools :8090 (mock upstreams, demo system)
 *                         └─ everything else → Portvagt a :3001, Portvagt b :3002 (round robin)
 *
 *   node scripts/cluster.ts            # the whole cluster; Ctrl-C stops it
 *   node scripts/cluster.ts devtools   # only the mock upstreams and the demo system (compose's "devtools")
 *
 * Environment: PORTVAGT_CONFIG (default deploy/portvagt.yaml), PORTVAGT_BASE_URL (default
 * http://localhost:8080), DATABASE_URL (default postgres://postgres@127.0.0.1:5432/portvagt_cluster,
 * created if missing), REDIS_URL (default redis://127.0.0.1:6379), LB_PORT, DEVTOOLS_PORT,
 * INSTANCE_PORTS (default 3001,3002). Secrets default to development values.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import express from 'express';
import pg from 'pg';
import { AccountRepository } from '../src/accounts/accounts.ts';
import { InvitationRepository } from '../src/accounts/invitations.ts';
import { loadConfig } from '../src/config/load.ts';
import { demoRoutes } from '../src/dev/demo.ts';
import { seedDemo } from '../src/dev/demo-seed.ts';
import { exited } from './child-exit.ts';
import { roundRobin, startBalancer } from './load-balancer.ts';
import { migrate, openDurableStore } from '../src/store/durable/database.ts';

const DEV_DEFAULTS: Record<string, string> = {
  PORTVAGT_CONFIG: 'deploy/portvagt.yaml',
  // deploy/portvagt.yaml is production-shaped but runs on mock upstreams over http: the guard's opt-out.
  PORTVAGT_ALLOW_INSECURE_TEST_SETUP: '1',
  PORTVAGT_BASE_URL: `http://localhost:${process.env.LB_PORT ?? 8080}`,
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/portvagt_cluster',
  REDIS_URL: 'redis://127.0.0.1:6379',
  PORTVAGT_COOKIE_KEYS: 'cluster-cookie-key-not-for-production-01',
  PORTVAGT_CPR_HMAC_KEY: 'cluster-cpr-key-not-for-production-0001',
  PORTVAGT_CLIENT_SECRET_DEMO: 'cluster-demo-secret-not-for-production',
  PORTVAGT_UPSTREAM_SECRET_MITID: 'mock-mitid-secret',
  PORTVAGT_UPSTREAM_SECRET_MITID_ERHVERV: 'mock-mitid-erhverv-secret',
  PORTVAGT_UPSTREAM_SECRET_NEMID: 'mock-nemid-secret',
  PORTVAGT_UPSTREAM_SECRET_NORDIGO_2FA: 'mock-2fa-secret',
};
for (const [key, value] of Object.entries(DEV_DEFAULTS)) process.env[key] ??= value;

const config = loadConfig();
const env = process.env as Record<string, string>;

/** The cluster's own database on the machine's PostgreSQL server, made on first use. */
async function ensureDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.href });
  await client.connect();
  const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
  if (!rowCount) await client.query(`create database "${name.replace(/"/g, '""')}"`);
  await client.end();
}

/** Mock upstreams at /mock/<id> and the demo system at /demo, plus the demo tenant's data. */
async function startDevtools(port: number, host: string): Promise<void> {
  const durable = openDurableStore({ databaseUrl: config.storage.database_url, dataDir: config.storage.data_dir });
  await migrate(durable);
  const seed = await seedDemo(config, new AccountRepository(durable.db), new InvitationRepository(durable.db, { validityDays: config.invitations.validity_days, maxAttempts: config.invitations.max_attempts }));
  await durable.close();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.server.trust_proxy);
  for (const router of demoRoutes(config).routes()) app.use(router);
  await new Promise<void>((resolve, reject) => app.listen(port, host, (error) => (error ? reject(error) : resolve())));
  console.log(`devtools: mock upstreams and demo system on ${host}:${port}`);
  if (seed.invitation) console.log(`demo first-time login: username "${seed.invitation.username}", one-time password "${seed.invitation.password}"`);
}

function startInstance(name: string, port: number): ChildProcess {
  const child = spawn(process.execPath, ['bin/start.js'], { env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream! }).on('line', (line) => console.log(`[${name}] ${line}`));
  child.on('exit', (code, signal) => console.log(`[${name}] exited (${signal ?? code})`));
  return child;
}

async function until(url: string): Promise<void> {
  for (;;) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const devtoolsPort = Number(env.DEVTOOLS_PORT ?? 8090);
if (process.argv[2] === 'devtools') {
  await startDevtools(devtoolsPort, env.DEVTOOLS_HOST ?? '0.0.0.0');
} else {
  if (/^postgres(ql)?:/.test(env.DATABASE_URL!)) await ensureDatabase(env.DATABASE_URL!);
  await startDevtools(devtoolsPort, '127.0.0.1');
  const devtools = `http://127.0.0.1:${devtoolsPort}`;
  const instances = (env.INSTANCE_PORTS ?? '3001,3002').split(',').map(Number);
  const origins = instances.map((port) => `http://127.0.0.1:${port}`);
  const spread = roundRobin(origins);
  const lb = await startBalancer({
    port: Number(env.LB_PORT ?? 8080),
    route: (req) => (/^\/(mock\/|demo)/.test(req.url ?? '') ? [devtools] : spread(req)),
  });
  // One after the other: the first start creates the signing key, the others find it.
  const children: ChildProcess[] = [];
  for (const [i, port] of instances.entries()) {
    children.push(startInstance(String.fromCharCode(97 + i), port));
    await until(`${origins[i]}/healthz`);
  }
  console.log(`\nPortvagt cluster: ${config.server.base_url} (load balancer ${lb.url} → ${origins.join(', ')})`);
  console.log(`Demo system: ${config.server.base_url}/demo — readiness ${origins[0]}/readyz, metrics ${origins[0]}/metrics`);
  const stop = () => {
    for (const child of children) child.kill('SIGTERM');
    void Promise.all(children.map(exited)).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
