/** The benchmark's table on stdout and its JSON under bench/results/. */
import { cpus, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadResult } from './load.ts';
import { printProfile, type ProfileSummary } from './profile.ts';

export interface LoginRun extends LoadResult {
  /** `portvagt-sso`: the single sign-on logins of a working day (bench/working-day.ts). */
  flow: 'portvagt' | 'portvagt-sso' | 'baseline';
  store: string;
}

export interface PageRun extends LoadResult {
  page: string;
  store: string;
}

/** A Portvagt process's memory: idle after start, and (full run) after 15 s and 60 s of logins. */
export interface Memory {
  store: string;
  idleMb: number;
  soak?: { concurrency: number; rss15sMb: number; rss60sMb: number; changePercent: number } | undefined;
}

export interface Results {
  quick: boolean;
  logins: LoginRun[];
  pages: PageRun[];
  memory: Memory[];
  /** With --cpu-prof: one V8 profile per Portvagt instance. */
  profiles: { store: string; summary: ProfileSummary }[];
}

const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');

export function machine() {
  const list = cpus();
  return { cpus: list.length, cpu_model: list[0]?.model ?? 'unknown', memory_gb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}` };
}

/**
 * Portvagt's CPU per brokered login (or per SSO login, `flow` portvagt-sso) over the baseline's per
 * plain login at the same concurrency, per store: `{ sqlite: { 1: 4.1, 8: 3.9, 32: 3.6 } }`. The
 * issue's target is the concurrency-32 figure.
 */
export function cpuRatios(logins: LoginRun[], flow: 'portvagt' | 'portvagt-sso' = 'portvagt'): Record<string, Record<number, number>> {
  const ratios: Record<string, Record<number, number>> = {};
  for (const run of logins.filter((r) => r.flow === flow)) {
    const baseline = logins.find((r) => r.flow === 'baseline' && r.concurrency === run.concurrency);
    if (!baseline) continue;
    (ratios[run.store] ??= {})[run.concurrency] = Math.round((run.cpuMsPerOp / baseline.cpuMsPerOp) * 100) / 100;
  }
  return ratios;
}

const KINDS = ['read', 'write', 'delete', 'take', 'query'] as const;

/** `reads 9, writes 11, …` of one run's counts per login. */
function storeOpsLine(counts: Record<string, number>): string {
  return KINDS.map((kind) => `${kind === "query" ? "queries" : `${kind}s`} ${counts[kind] ?? 0}`).join(', ');
}

function pad(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => String(c).padStart(widths[i]!)).join('  ');
}

export function printTable(results: Results): void {
  const widths = [12, 15, 5, 9, 8, 8, 11, 8, 7];
  console.log(`\n${pad(['flow', 'store', 'conc', 'logins/s', 'p50 ms', 'p99 ms', 'cpu ms/op', 'rss MB', 'errors', 'mock ms/op', 'driver ms/op'], [...widths, 11, 13])}`);
  for (const r of results.logins) {
    console.log(pad([r.flow, r.store, r.concurrency, r.perSecond, r.p50Ms, r.p99Ms, r.cpuMsPerOp, r.rssMb, r.errors, r.upstreamCpuMsPerOp ?? '-', r.driverCpuMsPerOp], [...widths, 11, 13]));
  }
  console.log(`\n${pad(['page', 'store', 'conc', 'pages/s', 'p50 ms', 'p99 ms', 'cpu ms/op', 'rss MB', 'errors'], widths)}`);
  for (const r of results.pages) console.log(pad([r.page, r.store, r.concurrency, r.perSecond, r.p50Ms, r.p99Ms, r.cpuMsPerOp, r.rssMb, r.errors], widths));
  console.log('');
  for (const [flow, what] of [['portvagt', 'login'], ['portvagt-sso', 'SSO login']] as const) {
    for (const [store, ratios] of Object.entries(cpuRatios(results.logins, flow))) {
      const each = Object.entries(ratios).map(([c, ratio]) => `c=${c} ${ratio}×`).join(', ');
      console.log(`CPU per ${what}, Portvagt (${store}) / baseline plain login at the same concurrency: ${each}`);
    }
  }
  const counted = results.logins.filter((r) => r.storeOpsPerOp && r.concurrency === Math.max(...results.logins.map((l) => l.concurrency)));
  for (const r of counted) {
    console.log(`\nstore operations per ${r.flow === 'portvagt-sso' ? 'SSO login' : 'login'} (${r.store}, c=${r.concurrency}): ${storeOpsLine(r.storeOpsPerOp!)}`);
    const detail = Object.entries(r.storeOpsPerOp!).filter(([key]) => key.includes(' ')).sort(([a], [b]) => a.localeCompare(b));
    for (const [key, value] of detail) console.log(`  ${String(value).padStart(5)}  ${key}`);
  }
  for (const m of results.memory) {
    const soak = m.soak ? `; at c=${m.soak.concurrency}: ${m.soak.rss15sMb} MB after 15 s of logins, ${m.soak.rss60sMb} MB after 60 s (${m.soak.changePercent} %)` : '';
    console.log(`RSS of Portvagt (${m.store}): ${m.idleMb} MB idle after start${soak}`);
  }
  for (const { store, summary } of results.profiles) printProfile(`Portvagt (${store})`, summary);
  const errors = [...results.logins, ...results.pages].filter((r) => r.errors > 0);
  for (const r of errors) console.log(`errors in ${'flow' in r ? r.flow : r.page} ${r.store} c=${r.concurrency}: ${r.errors}, first: ${r.firstError}`);
}

/** Writes latest.json and a dated copy; returns the dated file's path. */
export function writeResults(results: Results): string {
  const now = new Date();
  const json = {
    date: now.toISOString(),
    quick: results.quick,
    machine: machine(),
    runs: results.logins.map((r) => ({ flow: r.flow, store: r.store, concurrency: r.concurrency, logins: r.count, errors: r.errors, logins_per_s: r.perSecond, p50_ms: r.p50Ms, p99_ms: r.p99Ms, cpu_ms_per_login: r.cpuMsPerOp, rss_mb: r.rssMb, mock_upstream_cpu_ms_per_login: r.upstreamCpuMsPerOp ?? null, driver_cpu_ms_per_login: r.driverCpuMsPerOp, store_ops_per_login: r.storeOpsPerOp ?? null })),
    cpu_ratio: cpuRatios(results.logins),
    sso_cpu_ratio: cpuRatios(results.logins, 'portvagt-sso'),
    pages: results.pages.map((r) => ({ page: r.page, store: r.store, concurrency: r.concurrency, pages: r.count, errors: r.errors, pages_per_s: r.perSecond, p50_ms: r.p50Ms, p99_ms: r.p99Ms, cpu_ms_per_page: r.cpuMsPerOp, rss_mb: r.rssMb })),
    memory: results.memory.map((m) => ({ store: m.store, idle_rss_mb: m.idleMb, ...(m.soak ? { concurrency: m.soak.concurrency, rss_15s_mb: m.soak.rss15sMb, rss_60s_mb: m.soak.rss60sMb, change_percent: m.soak.changePercent } : {}) })),
    ...(results.profiles.length ? { profile_top: Object.fromEntries(results.profiles.map(({ store, summary }) => [store, summary.functions.slice(0, 10)])) } : {}),
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const text = `${JSON.stringify(json, null, 2)}\n`;
  const dated = join(RESULTS_DIR, `${now.toISOString().slice(0, 19).replace(/:/g, '')}${results.quick ? '-quick' : ''}.json`);
  writeFileSync(join(RESULTS_DIR, 'latest.json'), text);
  writeFileSync(dated, text);
  return dated;
}
