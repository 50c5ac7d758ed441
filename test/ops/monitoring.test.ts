import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { useHarness } from '../helpers/harness.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const PROMETHEUS = join(ROOT, 'deploy', 'prometheus');
const DASHBOARD = join(ROOT, 'deploy', 'grafana', 'dashboards', 'portvagt.json');

interface Panel {
  type: string;
  title: string;
  datasource?: { uid: string };
  targets?: { expr: string }[];
}
interface RuleFile {
  groups: { rules: { alert: string; expr: string }[] }[];
}
interface RuleTests {
  tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
}

const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[] };
const panels = dashboard.panels.filter((p) => p.type !== 'row');
const rules = (parse(readFileSync(join(PROMETHEUS, 'alerts.yml'), 'utf8')) as RuleFile).groups.flatMap((g) => g.rules);

/** Runs Debian's promtool; its absence fails the test with what to install, never skips it. */
async function promtool(...args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await promisify(execFile)('promtool', args, { cwd: PROMETHEUS });
    return stdout + stderr;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error("promtool is not installed: install Debian's `prometheus` package (apt-get install prometheus); .ci/run does this when promtool is missing", { cause: error });
    throw new Error(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: error });
  }
}

/** Grafana's variables as a query would see them, so promtool can parse the dashboard's expressions. */
const asPromql = (expr: string) => expr.replaceAll('$__rate_interval', '5m').replaceAll('$__range', '1h').replaceAll('$__interval', '1m').replaceAll('$method', '.*');

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'on', 'ignoring']);

/** The metric names a PromQL expression reads: what is left after strings, matchers, ranges, label lists and function names. */
export function metricNames(expr: string): string[] {
  const bare = asPromql(expr)
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = [...bare.matchAll(/(?<![\w.])([a-zA-Z_:][\w:]*)(?![\w:]|\s*\()/g)].map((m) => m[1]!);
  return [...new Set(names.filter((n) => !KEYWORDS.has(n)))];
}

// promtool evaluates every rule each minute over days of test series: seconds of CPU on a busy machine.
describe('the Prometheus alert rules', { timeout: 120_000 }, () => {
  it('pass promtool check rules and check config', async () => {
    expect(await promtool('check', 'rules', 'alerts.yml')).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(await promtool('check', 'config', 'prometheus.yml')).toContain('is valid prometheus config file syntax');
  });

  it('pass their promtool unit tests, which make every alert fire and not fire', async () => {
    expect(await promtool('test', 'rules', 'alerts.test.yml')).toContain('SUCCESS');
    const cases = (parse(readFileSync(join(PROMETHEUS, 'alerts.test.yml'), 'utf8')) as RuleTests).tests.flatMap((t) => t.alert_rule_test);
    for (const { alert } of rules) {
      const mine = cases.filter((c) => c.alertname === alert);
      expect({ alert, fires: mine.some((c) => c.exp_alerts.length > 0), quiet: mine.some((c) => c.exp_alerts.length === 0) }).toEqual({ alert, fires: true, quiet: true });
    }
  });
});

describe('the Grafana dashboard', { timeout: 120_000 }, () => {
  it('has queries promtool can parse, on the provisioned data source', async () => {
    const records = panels.flatMap((p, i) => (p.targets ?? []).map((t, j) => ({ record: `dashboard:panel_${i}_${j}`, expr: asPromql(t.expr) })));
    expect(records.length).toBeGreaterThan(panels.length);
    const file = join(mkdtempSync(join(tmpdir(), 'portvagt-dashboard-')), 'queries.yml');
    writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules: records }] }));
    expect(await promtool('check', 'rules', file)).toContain(`SUCCESS: ${records.length} rules found`);
    const datasource = parse(readFileSync(join(ROOT, 'deploy', 'grafana', 'provisioning', 'datasources', 'prometheus.yml'), 'utf8')) as { datasources: { uid: string }[] };
    for (const panel of panels) expect(panel.datasource?.uid).toBe(datasource.datasources[0]!.uid);
  });

  it('is listed panel by panel in docs/operating.md', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'operating.md'), 'utf8');
    expect(panels.filter((p) => !doc.includes(`| ${p.title} |`)).map((p) => p.title)).toEqual([]);
  });
});

describe('the metrics the dashboard and the alert rules name', () => {
  const h = useHarness();

  it('finds metric names in an expression and nothing else', () => {
    expect(metricNames('sum by (method) (rate(portvagt_logins_total{method=~"$method"}[$__rate_interval])) / on () up{job="x"} > bool 0.5')).toEqual(['portvagt_logins_total', 'up']);
  });

  it('are all exported by /metrics', async () => {
    const text = await (await fetch(`${h.base}/metrics`)).text();
    const exported = new Set(['up']); // Prometheus's own, per scrape target
    for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      exported.add(name!);
      if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) exported.add(name! + suffix);
    }
    const named = [...panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)), ...rules.map((r) => r.expr)].flatMap(metricNames);
    expect(named.length).toBeGreaterThan(20);
    expect([...new Set(named)].filter((name) => !exported.has(name))).toEqual([]);
  });
});
