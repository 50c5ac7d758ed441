/**
 * `node bench/paired.ts <control-checkout | baseline> [--concurrency N] [--seconds N] [--store sqlite|redis+postgres] [--baseline-store memory|redis] [--cpu-prof]`:
 * Portvagt's CPU per brokered login for another version of the code (the control) against this one,
 * both instances under the same load at the same time, so the drift of a shared machine falls on both
 * alike. The control is a checkout with node_modules, e.g. `git worktree add /tmp/control <ref>` and a
 * symlink to ./node_modules. With `baseline` instead of a checkout, the bare oidc-provider of
 * `npm run bench` takes the control's place (plain logins), and the line printed is the ratio of CPU
 * per login measured at the same time; `--baseline-store redis` keeps its state in the same Redis through
 * Portvagt's adapter instead of in memory. `--cpu-prof` prints where this version's instance spent its
 * time (start, warm-up and logins) and keeps the profile file.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MOCK_IDENTITIES } from '../src/dev/mock-identities.ts';
import { dropIsolatedDatabase, isolatedDatabaseUrl } from '../support/databases.ts';
import { freePort } from '../support/ports.ts';
import { ADMIN_DATABASE_URL, clearRedisPrefix, REDIS_URL } from './scaled-stores.ts';
import { brokeredLogin, connectRp, plainLogin, type Rp } from './flows.ts';
import { startProcess, type BenchProcess } from './processes.ts';
import { runLoad } from './load.ts';
import { startBaseline, startPortvagt } from './production-runtime.ts';
import { printProfile, summariseNewestProfile } from './profile.ts';

const USAGE = 'usage: node bench/paired.ts <control-checkout | baseline> [--concurrency N] [--seconds N] [--store sqlite|redis+postgres] [--baseline-store memory|redis] [--cpu-prof]';
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    concurrency: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '25' },
    store: { type: 'string', default: 'sqlite' },
    'baseline-store': { type: 'string', default: 'memory' },
    'cpu-prof': { type: 'boolean', default: false },
  },
});
const againstBaseline = positionals[0] === 'baseline';
const control = positionals[0] && !againstBaseline ? resolve(positionals[0]) : undefined;
if ((!againstBaseline && !(control && existsSync(join(control, 'bench', 'portvagt-server.ts')))) || !['sqlite', 'redis+postgres'].includes(values.store) || !['memory', 'redis'].includes(values['baseline-store'])) {
  console.error(USAGE);
  process.exit(2);
}
const concurrency = Number(values.concurrency);
const durationMs = Number(values.seconds) * 1000;
const WARMUP_MS = 5000;
const CLIENT = { id: 'bench-rp', secret: 'bench-rp-secret-0123456789', redirectUri: 'https://rp.example/cb' };
const SUBJECT = MOCK_IDENTITIES.mitid[0]!.sub;
const MOCK_SECRET = 'bench-mock-secret';
const profileDir = values['cpu-prof'] ? mkdtempSync(join(tmpdir(), 'portvagt-paired-profile-')) : undefined;

const ports = { control: await freePort(), this: await freePort() };
const portvagtPorts = againstBaseline ? [ports.this] : [ports.control, ports.this];
const mock = await startProcess('./mock-server.ts', {
  env: { BENCH_MOCK: JSON.stringify({ secret: MOCK_SECRET, redirectUris: portvagtPorts.map((port) => `http://127.0.0.1:${port}/callback/mitid`) }) },
});
// With Redis + PostgreSQL each Portvagt has a database and a key prefix of its own on the same servers.
const scaled = values.store === 'redis+postgres';
const dataDirs: string[] = [];
const databaseUrls: string[] = [];
const redisPrefixes: string[] = [];

async function portvagt(name: string, entry: string, port: number): Promise<BenchProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'portvagt-paired-'));
  dataDirs.push(dataDir);
  const stores = scaled ? { databaseUrl: await isolatedDatabaseUrl(ADMIN_DATABASE_URL), redisUrl: REDIS_URL, redisPrefix: `portvagt-paired:${process.pid}:${name}:` } : {};
  if (stores.databaseUrl) databaseUrls.push(stores.databaseUrl);
  if (stores.redisPrefix) redisPrefixes.push(stores.redisPrefix);
  const flags = profileDir && name === 'this' ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  return startPortvagt(entry, { port, upstreamIssuer: mock.url, upstreamSecret: MOCK_SECRET, subject: SUBJECT, client: CLIENT, dataDir, ...stores }, flags);
}

/** The bare oidc-provider, its state in memory or (`--baseline-store redis`) in Redis under a prefix of its own. */
function baseline(): Promise<BenchProcess> {
  const redis = values['baseline-store'] === 'redis' ? { redisUrl: REDIS_URL, redisPrefix: `portvagt-paired:${process.pid}:baseline:` } : {};
  if (redis.redisPrefix) redisPrefixes.push(redis.redisPrefix);
  return startBaseline({ port: ports.control, client: CLIENT, ...redis });
}

const versions: { name: string; server: BenchProcess; login: (rp: Rp) => Promise<void> }[] = [];
const brokered = (rp: Rp) => brokeredLogin(rp, mock.url, SUBJECT);
try {
  versions.push(
    againstBaseline
      ? { name: 'baseline', server: await baseline(), login: plainLogin }
      : { name: 'control', server: await portvagt('control', join(control!, 'bench', 'portvagt-server.ts'), ports.control), login: brokered },
    { name: 'this', server: await portvagt('this', './portvagt-server.ts', ports.this), login: brokered },
  );
  const rps = await Promise.all(versions.map((v) => connectRp(v.server.url, CLIENT.id, CLIENT.secret, CLIENT.redirectUri)));
  /** Logins on every version, `concurrency` workers each, all at once for `ms`. */
  const load = (ms: number) => Promise.all(versions.map((v, i) => runLoad(v.server, concurrency, ms, () => v.login(rps[i]!))));
  await load(WARMUP_MS);
  const results = await load(durationMs);
  const perLogin = results.map((r) => r.cpuMsPerOp);
  for (const [i, v] of versions.entries()) {
    const { count, errors, firstError } = results[i]!;
    console.log(`${v.name.padEnd(8)} ${perLogin[i]!.toFixed(2)} CPU ms per login (${count} logins${errors ? `; ${errors} failed, first: ${firstError}` : ''})`);
  }
  if (againstBaseline) console.log(`this (${values.store}) / baseline (${values['baseline-store']}) at the same time, c=${concurrency}: ${(perLogin[1]! / perLogin[0]!).toFixed(2)}×`);
  else console.log(`this / control: ${(((perLogin[1]! - perLogin[0]!) / perLogin[0]!) * 100).toFixed(1)} %`);
} finally {
  await Promise.all(versions.map((v) => v.server.stop()));
  await mock.stop();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  for (const url of databaseUrls) await dropIsolatedDatabase(url, ADMIN_DATABASE_URL);
  for (const prefix of redisPrefixes) await clearRedisPrefix(REDIS_URL, prefix);
}
if (profileDir) {
  // The profile file stays for a closer look (e.g. in Chrome's DevTools).
  printProfile(`this version (${values.store})`, summariseNewestProfile(profileDir, 25));
}
