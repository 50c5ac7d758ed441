/**
 * `node bench/paired.ts <control-checkout | baseline> [--concurrency N] [--seconds N] [--store sqlite|redis+postgres] [--baseline-store memory|sqlite|redis] [--working-day] [--cpu-prof]`:
 * Portvagt's CPU per brokered login for another version of the code (the control) against this one,
 * both instances under the same load at the same time, so the drift of a shared machine falls on both
 * alike. The control is a checkout with node_modules, e.g. `git worktree add /tmp/control <ref>` and a
 * symlink to ./node_modules. With `baseline` instead of a checkout, the bare oidc-provider of
 * `npm run bench` takes the control's place (plain logins), and the line printed is the ratio of CPU
 * per login measured at the same time; `--baseline-store sqlite|redis` keeps its state in an SQLite
 * file or the same Redis through Portvagt's adapter instead of in memory. `--working-day` runs the
 * working day of bench/working-day.ts: after the full logins, the four SSO logins of each of their
 * browsers, and prints the figures of both kinds of login (the baseline's plain logins go on during
 * both). `--cpu-prof` prints where this version's instance spent its time (start, warm-up and logins)
 * and keeps the profile file.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MOCK_IDENTITIES } from '../src/dev/mock-identities.ts';
import { dropIsolatedDatabase, isolatedDatabaseUrl } from '../support/databases.ts';
import { freePort } from '../support/ports.ts';
import { ADMIN_DATABASE_URL, clearRedisPrefix, REDIS_URL } from './scaled-stores.ts';
import { CLIENT, CLIENTS, SSO_CLIENTS } from './clients.ts';
import { brokeredLogin, connectRps, plainLogins } from './flows.ts';
import { startProcess, type BenchProcess } from './processes.ts';
import { NO_MORE_WORK, runLoad, type LoadResult } from './load.ts';
import { startBaseline, startPortvagt } from './production-runtime.ts';
import { printProfile, summariseNewestProfile } from './profile.ts';
import { WorkingDays } from './working-day.ts';

const USAGE = 'usage: node bench/paired.ts <control-checkout | baseline> [--concurrency N] [--seconds N] [--store sqlite|redis+postgres] [--baseline-store memory|sqlite|redis] [--working-day] [--cpu-prof]';
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    concurrency: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '25' },
    store: { type: 'string', default: 'sqlite' },
    'baseline-store': { type: 'string', default: 'memory' },
    'working-day': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
  },
});
const againstBaseline = positionals[0] === 'baseline';
const control = positionals[0] && !againstBaseline ? resolve(positionals[0]) : undefined;
if ((!againstBaseline && !(control && existsSync(join(control, 'bench', 'portvagt-server.ts')))) || !['sqlite', 'redis+postgres'].includes(values.store) || !['memory', 'sqlite', 'redis'].includes(values['baseline-store'])) {
  console.error(USAGE);
  process.exit(2);
}
const concurrency = Number(values.concurrency);
const durationMs = Number(values.seconds) * 1000;
const WARMUP_MS = 5000;
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

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'portvagt-paired-'));
  dataDirs.push(dir);
  return dir;
}

async function portvagt(name: string, entry: string, port: number): Promise<BenchProcess> {
  const stores = scaled ? { databaseUrl: await isolatedDatabaseUrl(ADMIN_DATABASE_URL), redisUrl: REDIS_URL, redisPrefix: `portvagt-paired:${process.pid}:${name}:` } : {};
  if (stores.databaseUrl) databaseUrls.push(stores.databaseUrl);
  if (stores.redisPrefix) redisPrefixes.push(stores.redisPrefix);
  const flags = profileDir && name === 'this' ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const settings = { port, upstreamIssuer: mock.url, upstreamSecret: MOCK_SECRET, subject: SUBJECT, client: CLIENT, otherClients: SSO_CLIENTS, dataDir: dataDir(), ...stores };
  return startPortvagt(entry, settings, flags);
}

/** The bare oidc-provider, its state in memory, an SQLite file of its own or (`--baseline-store redis`) Redis under a prefix of its own. */
function baseline(): Promise<BenchProcess> {
  const store = values['baseline-store'];
  const redisPrefix = `portvagt-paired:${process.pid}:baseline:`;
  if (store === 'redis') redisPrefixes.push(redisPrefix);
  const ephemeral = store === 'memory' ? undefined : { dataDir: dataDir(), ...(store === 'redis' ? { redisUrl: REDIS_URL, redisPrefix } : {}) };
  return startBaseline({ port: ports.control, clients: CLIENTS, ...(ephemeral ? { ephemeral } : {}) });
}

type Operation = (worker: number) => Promise<unknown>;

interface Version {
  name: string;
  server: BenchProcess;
  /** The first phase's login: a full brokered one, or the baseline's plain one (its clients in turn). */
  login: Operation;
  /** Portvagt's working days, whose SSO logins make the second phase. */
  days?: WorkingDays;
}

async function portvagtVersion(name: string, server: BenchProcess): Promise<Version> {
  const rps = await connectRps(server.url, CLIENTS);
  if (!values['working-day']) return { name, server, login: () => brokeredLogin(rps[0]!, mock.url, SUBJECT) };
  const days = new WorkingDays(rps, mock.url, SUBJECT);
  return { name, server, login: () => days.fullLogin(), days };
}

async function baselineVersion(server: BenchProcess): Promise<Version> {
  return { name: 'baseline', server, login: plainLogins(await connectRps(server.url, CLIENTS)) };
}

const versions: Version[] = [];
/** The first phase: every version's login, `concurrency` workers each, all at once for `ms`. */
const loginPhase = (ms: number) => Promise.all(versions.map((v) => runLoad(v.server, concurrency, ms, v.login)));

/**
 * The second phase of a working day: every Portvagt's SSO logins until each browser of the first
 * phase has had its four, and the baseline's plain logins as long as any of them runs.
 */
async function ssoPhase(): Promise<LoadResult[]> {
  let portvagtDone = false;
  const runs = versions.map((v) =>
    runLoad(v.server, concurrency, Infinity, v.days ? (worker) => v.days!.ssoLogin(worker) : (worker) => (portvagtDone ? Promise.resolve(NO_MORE_WORK) : v.login(worker))),
  );
  await Promise.all(runs.filter((_, i) => versions[i]!.days));
  portvagtDone = true;
  return Promise.all(runs);
}

async function day(ms: number): Promise<{ login: LoadResult[]; sso?: LoadResult[] }> {
  const login = await loginPhase(ms);
  return values['working-day'] ? { login, sso: await ssoPhase() } : { login };
}

function print(kind: string, results: LoadResult[]): void {
  for (const [i, v] of versions.entries()) {
    const { count, errors, firstError, cpuMsPerOp } = results[i]!;
    console.log(`${v.name.padEnd(8)} ${cpuMsPerOp.toFixed(2)} CPU ms per ${v.days || v.name !== 'baseline' ? kind : 'login'} (${count} logins${errors ? `; ${errors} failed, first: ${firstError}` : ''})`);
  }
}

try {
  versions.push(
    againstBaseline
      ? await baselineVersion(await baseline())
      : await portvagtVersion('control', await portvagt('control', join(control!, 'bench', 'portvagt-server.ts'), ports.control)),
    await portvagtVersion('this', await portvagt('this', './portvagt-server.ts', ports.this)),
  );
  await day(WARMUP_MS);
  const measured = await day(durationMs);
  const phases = [{ kind: measured.sso ? 'full login' : 'login', results: measured.login }, ...(measured.sso ? [{ kind: 'SSO login', results: measured.sso }] : [])];
  const compared = phases.map(({ kind, results }) => {
    print(kind, results);
    const [other, mine] = results.map((r) => r.cpuMsPerOp) as [number, number];
    return againstBaseline ? `${kind} ${(mine / other).toFixed(2)}×` : `${kind} ${(((mine - other) / other) * 100).toFixed(1)} %`;
  });
  if (againstBaseline) console.log(`this (${values.store}) / baseline plain login (${values['baseline-store']}) at the same time, c=${concurrency}: ${compared.join(', ')}`);
  else console.log(`this / control: ${compared.join(', ')}`);
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
