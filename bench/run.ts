/**
 * `npm run bench [-- --quick] [-- --cpu-prof]`: complete brokered logins against Portvagt in production
 * mode (SQLite, then Redis + PostgreSQL), each followed by the single sign-on logins of its working day
 * (bench/working-day.ts), and plain logins against a bare oidc-provider, at concurrency 1, 8 and 32; error page and chooser throughput; RSS idle after start and (full run only) in a soak. Each server and the
 * mock upstream run in processes of their own; CPU is measured inside the server process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOCK_IDENTITIES } from '../src/dev/mock-identities.ts';
import { dropIsolatedDatabase, isolatedDatabaseUrl } from '../support/databases.ts';
import { freePort } from '../support/ports.ts';
import { CLIENT, CLIENTS, SSO_CLIENTS } from './clients.ts';
import { brokeredLogin, chooserPage, connectRps, errorPage, plainLogins, type Rp } from './flows.ts';
import { runLoad } from './load.ts';
import { ADMIN_DATABASE_URL, clearRedisPrefix, REDIS_URL } from './scaled-stores.ts';
import type { PortvagtSettings } from './portvagt-server.ts';
import { startProcess, type BenchProcess } from './processes.ts';
import { summariseNewestProfile } from './profile.ts';
import { startBaseline, startPortvagt } from './production-runtime.ts';
import { printTable, writeResults, type LoginRun, type Memory, type PageRun, type Results } from './report.ts';
import { WorkingDays, workingDay } from './working-day.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const cpuProf = args.includes('--cpu-prof');
const RUN_MS = quick ? 3_000 : 15_000;
const WARMUP_MS = quick ? 1_000 : 3_000;
const PAGE_MS = quick ? 2_000 : 5_000;
const SOAK_MS = 60_000;
const IDLE_SETTLE_MS = 3_000;
const CONCURRENCY = [1, 8, 32];
const PAGE_CONCURRENCY = 8;

const MOCK_SECRET = 'bench-mock-secret';
const SUBJECT = MOCK_IDENTITIES.mitid[0]!.sub;
const PROFILE_DIR = join(tmpdir(), `portvagt-bench-profile-${process.pid}`);

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function logRun(run: LoginRun): LoginRun {
  console.log(`${run.flow} ${run.store} c=${run.concurrency}: ${run.perSecond} logins/s, p99 ${run.p99Ms} ms, ${run.cpuMsPerOp} CPU ms/login`);
  return run;
}

async function baselineRuns(server: BenchProcess, login: () => Promise<void>): Promise<LoginRun[]> {
  await runLoad(server, 8, WARMUP_MS, login);
  const runs: LoginRun[] = [];
  for (const concurrency of CONCURRENCY) runs.push(logRun({ flow: 'baseline', store: 'memory', ...(await runLoad(server, concurrency, RUN_MS, login)) }));
  return runs;
}

/** Per concurrency a working day: the full logins, then the SSO logins of their browsers. */
async function portvagtRuns(store: string, server: BenchProcess, rps: Rp[], upstream: BenchProcess): Promise<LoginRun[]> {
  const days = () => new WorkingDays(rps, upstream.url, SUBJECT);
  await workingDay(server, 8, WARMUP_MS, days());
  const runs: LoginRun[] = [];
  for (const concurrency of CONCURRENCY) {
    const { full, sso } = await workingDay(server, concurrency, RUN_MS, days(), upstream);
    runs.push(logRun({ flow: 'portvagt', store, ...full }), logRun({ flow: 'portvagt-sso', store, ...sso }));
  }
  return runs;
}

async function pageRuns(store: string, server: BenchProcess, rp: Rp): Promise<PageRun[]> {
  const error = await runLoad(server, PAGE_CONCURRENCY, PAGE_MS, () => errorPage(server.url));
  const choosers = await Promise.all(Array.from({ length: PAGE_CONCURRENCY }, () => chooserPage(rp)));
  const chooser = await runLoad(server, PAGE_CONCURRENCY, PAGE_MS, (worker) => choosers[worker]!());
  return [
    { page: 'error-3000', store, ...error },
    { page: 'chooser', store, ...chooser },
  ];
}

const megabytes = (bytes: number) => Math.round(bytes / 2 ** 20);

/** RSS of a server just started, before any request but the readiness of its stores: what it holds idle. */
async function idleRss(server: BenchProcess): Promise<number> {
  await delay(IDLE_SETTLE_MS);
  return megabytes((await server.sample()).rssBytes);
}

/** RSS after 15 s and after 60 s of the same load: a leak shows as growth. */
async function soak(server: BenchProcess, login: () => Promise<unknown>): Promise<Memory['soak']> {
  const early = delay(15_000).then(() => server.sample());
  const result = await runLoad(server, 8, SOAK_MS, login);
  const rss15sMb = megabytes((await early).rssBytes);
  const rss60sMb = Math.round(result.rssMb);
  return { concurrency: 8, rss15sMb, rss60sMb, changePercent: Math.round(((rss60sMb - rss15sMb) / rss15sMb) * 1000) / 10 };
}

function startPortvagtProcess(settings: PortvagtSettings, profile: boolean): Promise<BenchProcess> {
  return startPortvagt('./portvagt-server.ts', settings, profile ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : []);
}

async function main(): Promise<void> {
  const ports = { sqlite: await freePort(), postgres: await freePort(), baseline: await freePort() };
  const mock = await startProcess('./mock-server.ts', {
    env: { BENCH_MOCK: JSON.stringify({ secret: MOCK_SECRET, redirectUris: [ports.sqlite, ports.postgres].map((p) => `http://127.0.0.1:${p}/callback/mitid`) }) },
  });
  const results: Results = { quick, logins: [], pages: [], memory: [], profiles: [] };
  const common = { upstreamIssuer: mock.url, upstreamSecret: MOCK_SECRET, subject: SUBJECT, client: CLIENT, otherClients: SSO_CLIENTS };

  try {
    const baseline = await startBaseline({ port: ports.baseline, clients: CLIENTS });
    results.logins.push(...(await baselineRuns(baseline, plainLogins(await connectRps(baseline.url, CLIENTS)))));
    await baseline.stop();

    const dataDir = mkdtempSync(join(tmpdir(), 'portvagt-bench-'));
    const sqlite = await startPortvagtProcess({ ...common, port: ports.sqlite, dataDir }, cpuProf);
    const sqliteIdle = await idleRss(sqlite);
    const sqliteRps = await connectRps(sqlite.url, CLIENTS);
    const sqliteLogin = () => brokeredLogin(sqliteRps[0]!, mock.url, SUBJECT);
    results.logins.push(...(await portvagtRuns('sqlite', sqlite, sqliteRps, mock)));
    results.pages.push(...(await pageRuns('sqlite', sqlite, sqliteRps[0]!)));
    results.memory.push({ store: 'sqlite', idleMb: sqliteIdle, soak: quick ? undefined : await soak(sqlite, sqliteLogin) });
    await sqlite.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (cpuProf) results.profiles.push({ store: 'sqlite', summary: summariseNewestProfile(PROFILE_DIR) });

    const databaseUrl = await isolatedDatabaseUrl(ADMIN_DATABASE_URL);
    const redisPrefix = `portvagt-bench:${Date.now().toString(36)}:`;
    const pgDataDir = mkdtempSync(join(tmpdir(), 'portvagt-bench-'));
    try {
      const scaled = await startPortvagtProcess({ ...common, port: ports.postgres, dataDir: pgDataDir, databaseUrl, redisUrl: REDIS_URL, redisPrefix }, cpuProf);
      const scaledIdle = await idleRss(scaled);
      const scaledRps = await connectRps(scaled.url, CLIENTS);
      const scaledLogin = () => brokeredLogin(scaledRps[0]!, mock.url, SUBJECT);
      results.logins.push(...(await portvagtRuns('redis+postgres', scaled, scaledRps, mock)));
      results.pages.push(...(await pageRuns('redis+postgres', scaled, scaledRps[0]!)));
      results.memory.push({ store: 'redis+postgres', idleMb: scaledIdle, soak: quick ? undefined : await soak(scaled, scaledLogin) });
      await scaled.stop();
      if (cpuProf) results.profiles.push({ store: 'redis+postgres', summary: summariseNewestProfile(PROFILE_DIR) });
    } finally {
      await dropIsolatedDatabase(databaseUrl, ADMIN_DATABASE_URL);
      await clearRedisPrefix(REDIS_URL, redisPrefix);
      rmSync(pgDataDir, { recursive: true, force: true });
    }
  } finally {
    await mock.stop();
  }

  printTable(results);
  console.log(`\nwritten: bench/results/latest.json and ${writeResults(results)}`);
}

await main();
