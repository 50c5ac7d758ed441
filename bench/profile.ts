/** Where a V8 CPU profile (--cpu-prof) spends its time: self time by function and by package. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  selfMs: number;
  percent: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  functions: ProfileEntry[];
  packages: ProfileEntry[];
}

const root = process.cwd();

function where(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
  if (pkg) return pkg;
  if (path.startsWith('node:') || path === '') return path || '(native)';
  return relative(root, path);
}

function top(totals: Map<string, number>, totalMs: number, count: number): ProfileEntry[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => ({ name, selfMs: Math.round(us / 100) / 10, percent: Math.round((us / 1000 / totalMs) * 1000) / 10 }));
}

/** The newest profile in `dir`, summarised. */
export function summariseNewestProfile(dir: string, count = 15): ProfileSummary {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(dir, f));
  const file = files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') return;
    totalUs += us;
    const place = where(frame.url);
    const fn = `${frame.functionName || '(anonymous)'} ${place}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
    packages.set(place, (packages.get(place) ?? 0) + us);
  });
  const totalMs = totalUs / 1000;
  return { file, totalMs: Math.round(totalMs), functions: top(functions, totalMs, count), packages: top(packages, totalMs, count) };
}

/** Prints a summary: top functions by self time, then by package or file. */
export function printProfile(what: string, summary: ProfileSummary): void {
  console.log(`\nCPU profile of ${what} ${summary.file} (${summary.totalMs} ms busy): top functions by self time`);
  for (const f of summary.functions) console.log(`  ${String(f.percent).padStart(5)} %  ${f.name}`);
  console.log('by package / file');
  for (const f of summary.packages) console.log(`  ${String(f.percent).padStart(5)} %  ${f.name}`);
}
