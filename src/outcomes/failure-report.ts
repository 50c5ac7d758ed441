import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../store/durable/schema.ts';
import { OUTCOME_KINDS, type OutcomeKind } from './outcome.ts';

export interface ReportOptions {
  since: number;
  until: number;
  tenant?: string | undefined;
  clientId?: string | undefined;
  /** How many codes the report lists, and how many example reference ids per code. */
  topCodes?: number;
  examples?: number;
}

export interface CodeCount {
  code: number;
  count: number;
}

export interface FailureReport {
  since: number;
  until: number;
  tenant: string | null;
  client: string | null;
  logins: number;
  failures: number;
  /** Every outcome by its kind (outcome.ts); a record written before kinds existed under its old name. */
  outcomes: Record<string, number>;
  /** Per login method; `null` for failures before a method was chosen. */
  methods: { method: string | null; logins: number; failures: number; codes: CodeCount[] }[];
  codes: (CodeCount & { examples: string[] })[];
  /** Per hour (UTC), oldest first, hours without events left out. */
  hours: { hour: number; logins: number; failures: number }[];
}

const HOUR_MS = 3_600_000;

/** How a record counts: a login, a failure (it carries a code), or neither (a cancel, a CPR mistyped, a method linked). */
function countsAs(kind: string, code: number | null): 'login' | 'failure' | 'other' {
  const known = Object.hasOwn(OUTCOME_KINDS, kind) ? OUTCOME_KINDS[kind as OutcomeKind].counts : 'other';
  return known === 'failure' && code === null ? 'other' : known;
}

/**
 * Logins and failures from the audit records of the users' logins (management changes are left out):
 * every outcome by kind; logins (`logged-in`) and failures (the kinds with a code) per login method,
 * the most frequent codes with example reference ids, and per hour. Counting happens in the database,
 * so a day of records is a handful of grouped rows.
 */
export async function failureReport(db: Kysely<Database>, options: ReportOptions): Promise<FailureReport> {
  const scoped = <O>(query: SelectQueryBuilder<Database, 'audit_events', O>) => {
    let q = query.where('at', '>=', options.since).where('at', '<', options.until).where('event', 'not like', 'manage.%');
    if (options.tenant) q = q.where('tenant', '=', options.tenant);
    if (options.clientId) q = q.where('client_id', '=', options.clientId);
    return q;
  };
  const grouped = await scoped(db.selectFrom('audit_events').select(['method', 'event', 'code', (eb) => eb.fn.countAll<string | number>().as('n')]))
    .groupBy(['method', 'event', 'code'])
    .execute();
  const hourExpr = sql<string | number>`at / ${sql.lit(HOUR_MS)}`;
  const hourly = await scoped(db.selectFrom('audit_events').select([hourExpr.as('hour'), 'event', 'code', (eb) => eb.fn.countAll<string | number>().as('n')]))
    .groupBy([hourExpr, 'event', 'code'])
    .execute();

  const methods = new Map<string | null, { logins: number; failures: number; codes: Map<number, number> }>();
  const codes = new Map<number, number>();
  const outcomes: Record<string, number> = {};
  let logins = 0;
  let failures = 0;
  for (const row of grouped) {
    const n = Number(row.n);
    outcomes[row.event] = (outcomes[row.event] ?? 0) + n;
    const counts = countsAs(row.event, row.code);
    if (counts === 'other') continue;
    const entry = methods.get(row.method) ?? { logins: 0, failures: 0, codes: new Map<number, number>() };
    methods.set(row.method, entry);
    if (counts === 'login') {
      entry.logins += n;
      logins += n;
    } else if (row.code !== null) {
      entry.failures += n;
      failures += n;
      entry.codes.set(row.code, (entry.codes.get(row.code) ?? 0) + n);
      codes.set(row.code, (codes.get(row.code) ?? 0) + n);
    }
  }
  const byCount = (map: Map<number, number>): CodeCount[] => [...map].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code - b.code);
  const top = byCount(codes).slice(0, options.topCodes ?? 10);
  const withExamples = await Promise.all(
    top.map(async (c) => {
      const rows = await scoped(db.selectFrom('audit_events').select('reference'))
        .where('code', '=', c.code)
        .where('outcome', '=', 'failure')
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(options.examples ?? 3)
        .execute();
      return { ...c, examples: rows.map((r) => r.reference) };
    }),
  );

  const hours = new Map<number, { hour: number; logins: number; failures: number }>();
  for (const row of hourly) {
    const counts = countsAs(row.event, row.code);
    if (counts === 'other') continue;
    const hour = Math.floor(Number(row.hour)) * HOUR_MS;
    const entry = hours.get(hour) ?? { hour, logins: 0, failures: 0 };
    hours.set(hour, entry);
    entry[counts === 'login' ? 'logins' : 'failures'] += Number(row.n);
  }

  return {
    since: options.since,
    until: options.until,
    tenant: options.tenant ?? null,
    client: options.clientId ?? null,
    logins,
    failures,
    outcomes,
    methods: [...methods]
      .map(([method, m]) => ({ method, logins: m.logins, failures: m.failures, codes: byCount(m.codes) }))
      .sort((a, b) => (a.method === null ? 1 : b.method === null ? -1 : b.logins + b.failures - (a.logins + a.failures) || a.method.localeCompare(b.method))),
    codes: withExamples,
    hours: [...hours.values()].sort((a, b) => a.hour - b.hour),
  };
}
