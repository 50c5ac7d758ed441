import type { Kysely, Selectable } from 'kysely';
import type { AuditEventsTable, Database } from '../store/durable/schema.ts';
import { OUTCOME_KINDS, type OutcomeKind } from './outcome.ts';

export type AuditEvent = Selectable<AuditEventsTable>;

/**
 * One audit record: an outcome of a login (outcome.ts) or an operator's change (`manage.…`). The table
 * keeps its first names for the two: the column `event` holds the kind, `outcome` the result.
 */
export interface AuditInput {
  reference: string;
  kind: string;
  result: 'success' | 'failure';
  code?: number | undefined;
  tenant?: string | undefined;
  clientId?: string | undefined;
  method?: string | undefined;
  accountId?: string | undefined;
  /** The NSIS level a released login reached. */
  level?: string | undefined;
  upstreamReason?: string | undefined;
  detail?: string | undefined;
}

/** The kinds that are a login of an account, released or refused with a code (the account page's "recent logins"). */
const LOGIN_KINDS = (Object.keys(OUTCOME_KINDS) as OutcomeKind[]).filter((kind) => OUTCOME_KINDS[kind].counts !== 'other');
const RELEASED_KINDS = (Object.keys(OUTCOME_KINDS) as OutcomeKind[]).filter((kind) => OUTCOME_KINDS[kind].counts === 'login');

const clip = (value: string | undefined, max: number) => (value === undefined ? null : value.slice(0, max));

/** Every outcome and operator's change, keyed by the reference id a user reads off the page. Never holds secrets or CPR. */
export class AuditLog {
  private readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  async record(input: AuditInput): Promise<void> {
    await this.db
      .insertInto('audit_events')
      .values({
        reference: input.reference,
        at: Date.now(),
        event: input.kind,
        outcome: input.result,
        code: input.code ?? null,
        tenant: clip(input.tenant, 64),
        client_id: clip(input.clientId, 100),
        method: clip(input.method, 64),
        account_id: clip(input.accountId, 64),
        level: clip(input.level, 16),
        upstream_reason: clip(input.upstreamReason, 300),
        detail: clip(input.detail, 1000),
      })
      .execute();
  }

  /** A deleted account's records: kept (what happened, when, with which code), its id and details gone. */
  async forget(accountId: string): Promise<void> {
    await this.db.updateTable('audit_events').set({ account_id: null, detail: null, upstream_reason: null }).where('account_id', '=', accountId).execute();
  }

  /** Deletes the records older than `before` (ms): the retention of `audit.retention_days`. */
  async prune(before: number): Promise<number> {
    const result = await this.db.deleteFrom('audit_events').where('at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** The account's latest logins, released or refused, newest first (an index on account and time serves it). */
  async loginsOf(accountId: string, limit: number): Promise<AuditEvent[]> {
    return this.db.selectFrom('audit_events').selectAll().where('account_id', '=', accountId).where('event', 'in', LOGIN_KINDS).orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  /** When each login method last logged the account in (a released login), by method. */
  async lastUseByMethod(accountId: string): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('audit_events')
      .select(['method', (eb) => eb.fn.max('at').as('at')])
      .where('account_id', '=', accountId)
      .where('event', 'in', RELEASED_KINDS)
      .groupBy('method')
      .execute();
    return new Map(rows.flatMap((row) => (row.method ? [[row.method, Number(row.at)] as const] : [])));
  }

  async byReference(reference: string): Promise<AuditEvent[]> {
    return this.db.selectFrom('audit_events').selectAll().where('reference', '=', reference).orderBy('id').execute();
  }
}
