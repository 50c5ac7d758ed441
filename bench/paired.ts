/**
 * `node bench/paired.ts <control-checkout> [--concurrency N] [--logins N] [--store sqlite|redis+postgres] [--cpu-prof]`: Portvagt's CPU per
 * brokered login for another version of the code (the control) against this one, both instances under
 * the same load at the same time, so the drift of a shared machine falls on both alike. The control is a
 * checkout with node_modules, e.g. `git worktree add /tmp/control <ref>` and a symlink to ./node_modules.
 * `--cpu-prof` prints where this version's instance spent its time (start, warm-up and logins) and keeps
 * the profile file.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MOCK_IDENTITIES } from '../src/dev/mock-identities.ts';
import { dropIsolatedDatabase, isolatedDatabaseUrl } from '../support/databases.ts';
import { freePort } from '../support/ports.ts';
import { ADMIN_DATABASE_URL, clearRedisPrefix, REDIS_URL } from './scaled-stores.ts';
import { brokeredLogin, connectRp } from './flows.ts';
import { startProcess } from './processes.ts';
import { startPortvagt } from './production-runtime.ts';
import { printProfile, summariseNewestProfile } from './profile.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { concurrency: { type: 'string', default: '2' }, logins: { type: 'string', default: '2400' }, store: { type: 'string', default: 'sqlite' }, 'cpu-prof': { type: 'boolean', default: false } },
});
const control = positionals[0] && resolve(positionals[0]);
if (!control || !existsSync(join(control, 'bench', 'portvagt-server.ts')) || !['sqlite', 'redis+postgres'].includes(values.store)) {
  console.error('usage: node bench/paired.ts <control-checkout> [--concurrency N] [--logins N] [--store sqlite|redis+postgres] [--cpu-prof]');
  process.exit(2);
}
const concurrency = Number(values.concurrency);
const logins = Number(values.logins);
const CLIENT = { id: 'bench-rp', secret: 'bench-rp-secret-0123456789', redirectUri: 'https://rp.example/cb' };
const SUBJECT = MOCK_IDENTITIES.mitid[0]!.sub;
const MOCK_SECRET = 'bench-mock-secret';
const profileDir = values['cpu-prof'] ? mkdtempSync(join(tmpdir(), 'portvagt-paired-profile-')) : undefined;

const versions = [
  { name: 'control', entry: join(control, 'bench', 'portvagt-server.ts'), port: await freePort() },
  { name: 'this', entry: './portvagt-server.ts', port: await freePort() },
];
const mock = await startProcess('./mock-server.ts', {
  env: { BENCH_MOCK: JSON.stringify({ secret: MOCK_SECRET, redirectUris: versions.map((v) => `http://127.0.0.1:${v.port}/callback/mitid`) }) },
});
const dataDirs = versions.map(() => mkdtempSync(join(tmpdir(), 'portvagt-paired-')));
// With Redis + PostgreSQL each version has a database and a key prefix of its own on the same servers.
const scaled = values.store === 'redis+postgres';
const databaseUrls = scaled ? await Promise.all(versions.map(() => isolatedDatabaseUrl(ADMIN_DATABASE_URL))) : [];
const redisPrefixes = versions.map((v) => `portvagt-paired:${process.pid}:${v.name}:`);
const servers = await Promise.all(
  versions.map((v, i) =>
    startPortvagt(v.entry, {
      port: v.port,
      upstreamIssuer: mock.url,
      upstreamSecret: MOCK_SECRET,
      subject: SUBJECT,
      client: CLIENT,
      dataDir: dataDirs[i]!,
      ...(scaled ? { databaseUrl: databaseUrls[i], redisUrl: REDIS_URL, redisPrefix: redisPrefixes[i] } : {}),
    }, profileDir && v.name === 'this' ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
  ),
);
try {
  const rps = await Promise.all(servers.map((s) => connectRp(s.url, CLIENT.id, CLIENT.secret, CLIENT.redirectUri)));
  /** `count` logins on each version, `concurrency` workers each, all at once. */
  const load = (count: number) =>
    Promise.all(rps.flatMap((rp) => Array.from({ length: concurrency }, async () => {
      for (let i = 0; i < count / concurrency; i++) await brokeredLogin(rp, mock.url, SUBJECT);
    })));
  await load(Math.min(300, logins));
  const before = await Promise.all(servers.map((s) => s.sample()));
  await load(logins);
  const after = await Promise.all(servers.map((s) => s.sample()));
  const perLogin = servers.map((_, i) => (after[i]!.cpuMicros - before[i]!.cpuMicros) / 1000 / logins);
  for (const [i, v] of versions.entries()) console.log(`${v.name.padEnd(8)} ${perLogin[i]!.toFixed(2)} CPU ms per login`);
  console.log(`this / control: ${(((perLogin[1]! - perLogin[0]!) / perLogin[0]!) * 100).toFixed(1)} %`);
} finally {
  await Promise.all(servers.map((s) => s.stop()));
  await mock.stop();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  for (const url of databaseUrls) await dropIsolatedDatabase(url, ADMIN_DATABASE_URL);
  if (scaled) for (const prefix of redisPrefixes) await clearRedisPrefix(REDIS_URL, prefix);
}
if (profileDir) {
  // The profile file stays for a closer look (e.g. in Chrome's DevTools).
  printProfile(`this version (${values.store})`, summariseNewestProfile(profileDir, 25));
}
