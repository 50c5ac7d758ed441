import { failureReport, type FailureReport } from '../../outcomes/failure-report.ts';
import { isErrorCode } from '../../errors/catalogue.ts';
import { translate } from '../../i18n/i18n.ts';
import { stringOption, type Command } from '../command.ts';
import { table, when } from '../output.ts';
import { requireTenant } from '../resolve.ts';
import { UsageError } from '../usage-error.ts';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const BAR_WIDTH = 30;

/** `--since`: a duration back from now (`90m`, `24h`, `7d`) or an ISO time (`2026-12-01T06:00Z`). */
export function parseSince(value: string, now: number): number {
  const duration = /^(\d{1,5})([mhd])$/.exec(value);
  if (duration) return now - Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS];
  const at = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at) || at > now) throw new UsageError(`--since must be a duration like 24h, 90m or 7d, or a past time like 2026-12-01T06:00Z (got "${value.slice(0, 40)}")`);
  return at;
}

const percent = (part: number, whole: number) => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)} %`);
// A code's title names the method used where a page knows it; a report row spans methods.
const ANY_METHOD = { method: 'the method' };
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const meaning = (code: number) => (isErrorCode(code) ? capitalised(translate('en', `codes.${code}.title`, ANY_METHOD)) : '');
const hourText = (ms: number) => `${new Date(ms).toISOString().slice(0, 13).replace('T', ' ')}:00`;

/** The report as an operator reads it on a terminal. */
export function reportText(report: FailureReport): string {
  const scope = [report.tenant ? `tenant ${report.tenant}` : 'all tenants', report.client ? `client ${report.client}` : 'all clients'].join(', ');
  const total = report.logins + report.failures;
  const lines = [
    `Logins and failures ${when(report.since)} – ${when(report.until)} (${scope})`,
    `Logins ${report.logins}, failures ${report.failures} (${percent(report.failures, total)} of ${total} logins and failures)`,
  ];
  const kinds = Object.entries(report.outcomes).sort(([a, m], [b, n]) => n - m || a.localeCompare(b));
  if (kinds.length > 0) lines.push(`Outcomes by kind: ${kinds.map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
  if (total === 0) return [...lines, '', 'No logins or failures in this period.'].join('\n');
  lines.push(
    '',
    'PER LOGIN METHOD',
    table(
      ['METHOD', 'LOGINS', 'FAILURES', 'FAILED', 'TOP CODES'],
      report.methods.map((m) => [m.method ?? '(none chosen)', String(m.logins), String(m.failures), percent(m.failures, m.logins + m.failures), m.codes.slice(0, 3).map((c) => `${c.code} ×${c.count}`).join(', ')]),
    ),
    '',
    'TOP CODES',
    table(
      ['CODE', 'COUNT', 'SHARE', 'MEANING', 'EXAMPLE REFERENCES'],
      report.codes.map((c) => [String(c.code), String(c.count), percent(c.count, report.failures), meaning(c.code), c.examples.join(' ')]),
    ),
    '',
    'PER HOUR (UTC)',
  );
  const busiest = Math.max(...report.hours.map((h) => h.logins + h.failures));
  const bar = (n: number, char: string) => char.repeat(Math.round((n / busiest) * BAR_WIDTH));
  lines.push(
    table(
      ['HOUR', 'LOGINS', 'FAILURES', ''],
      report.hours.map((h) => [hourText(h.hour), String(h.logins), String(h.failures), bar(h.logins, '=') + bar(h.failures, 'x')]),
    ),
    '',
    '= logins, x failures. "portvagt events <reference>" shows the events behind a reference.',
  );
  return lines.join('\n');
}

const report: Command = {
  name: 'report',
  args: [],
  options: { since: { type: 'string' }, tenant: { type: 'string' }, client: { type: 'string' } },
  optionsUsage: '[--since 24h] [--tenant T] [--client C]',
  summary: 'outcomes by kind, logins and failures from the audit records: per method, top codes with example references, per hour',
  async run(input) {
    const config = input.config();
    const until = Date.now();
    const since = parseSince(stringOption(input, 'since') ?? '24h', until);
    const tenant = stringOption(input, 'tenant');
    if (tenant) requireTenant(config, tenant);
    const clientId = stringOption(input, 'client');
    if (clientId && !config.clients.has(clientId)) {
      throw new UsageError(`unknown client "${clientId}" (configured: ${[...config.clients.keys()].join(', ')})`);
    }
    const result = await failureReport((await input.stores()).durable.db, { since, until, tenant, clientId });
    const iso = (ms: number) => new Date(ms).toISOString();
    const json = {
      ...result,
      since: iso(result.since),
      until: iso(result.until),
      codes: result.codes.map((c) => ({ ...c, meaning: meaning(c.code) })),
      hours: result.hours.map((h) => ({ ...h, hour: iso(h.hour) })),
    };
    input.out.print(json, reportText(result));
  },
};

export const reportCommands: Command[] = [report];
