import type { Logger } from '../logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import { newReference } from '../errors/reference.ts';
import type { AuditLog } from './audit-log.ts';
import { codeOf, OUTCOME_KINDS, type Outcome } from './outcome.ts';

/** Where an outcome happened, as far as it is known: the route, and the login's system, tenant, method and account. */
export interface Where {
  route: string;
  clientId?: string | undefined;
  tenant?: string | undefined;
  method?: string | undefined;
  accountId?: string | undefined;
}

export interface JournalDeps {
  audit: AuditLog;
  metrics: Metrics;
  log: Logger;
}

/** What the audit record keeps of an outcome beyond its kind and code: why, in a few words for an operator. */
function detailOf(outcome: Outcome, route: string): string | undefined {
  switch (outcome.kind) {
    case 'logged-in':
      return `action ${outcome.action}`;
    case 'cpr-mismatch':
      return `mismatch ${outcome.attempt}`;
    case 'logged-out':
      return `systems ${outcome.systems.join(', ')}`;
    case 'refused':
      return outcome.reason;
    case 'failed':
      return `${route}: ${outcome.error.detail ?? outcome.error.message}`;
    default:
      return undefined;
  }
}

/**
 * The one place an outcome is recorded (docs/architecture.md, "Outcomes"): a reference id, the audit
 * record, the metric and the log line. Returns the reference, which an error page shows. An audit
 * record that cannot be written fails the outcome's request, so no login is released unaudited;
 * only a failure, whose cause may be the store itself, is still shown, its reference in the log.
 */
export class OutcomeJournal {
  private readonly deps: JournalDeps;

  constructor(deps: JournalDeps) {
    this.deps = deps;
  }

  async record(outcome: Outcome, where: Where): Promise<string> {
    const reference = newReference();
    const method = 'method' in outcome ? (outcome.method ?? where.method) : where.method;
    const accountId = ('accountId' in outcome ? outcome.accountId : undefined) ?? (outcome.kind === 'failed' ? outcome.error.accountId : undefined) ?? where.accountId;
    const code = codeOf(outcome);
    const error = outcome.kind === 'failed' ? outcome.error : undefined;
    this.logLine(outcome, { reference, outcome: outcome.kind, code, route: where.route, clientId: where.clientId, tenant: where.tenant, method, upstream: error?.upstream, detail: error?.detail, ...(outcome.kind === 'refused' ? { reason: outcome.reason } : {}), ...error?.logFields });
    this.count(outcome, where, method);
    const record = this.deps.audit.record({
      reference,
      kind: outcome.kind,
      result: OUTCOME_KINDS[outcome.kind].result,
      code,
      tenant: where.tenant,
      clientId: where.clientId,
      method,
      accountId,
      level: 'level' in outcome ? outcome.level : undefined,
      upstreamReason: error?.upstream ? [error.upstream.dialect, error.upstream.reason ?? error.upstream.error].filter(Boolean).join(':') : undefined,
      detail: detailOf(outcome, where.route),
    });
    if (outcome.kind !== 'failed') await record;
    else await record.catch((auditError: unknown) => this.deps.log.error({ reference, err: auditError }, 'audit record not written'));
    return reference;
  }

  private logLine(outcome: Outcome, fields: Record<string, unknown>): void {
    const { message } = OUTCOME_KINDS[outcome.kind];
    if (outcome.kind !== 'failed') {
      if (outcome.kind === 'refused' || outcome.kind === 'cpr-mismatch') this.deps.log.warn(fields, message);
      else this.deps.log.info(fields, message);
      return;
    }
    const { error } = outcome;
    if (error.code === 500 || error.code === 502) this.deps.log.error({ ...fields, err: error.cause ?? error }, message);
    // Only the service can fix an integration fault: operators must see it among the errors.
    else if (error.advice?.integration) this.deps.log.error(fields, `${message}: only the service can fix this`);
    else this.deps.log.warn(fields, message);
  }

  private count(outcome: Outcome, where: Where, method: string | undefined): void {
    const { metrics } = this.deps;
    metrics.outcome({ kind: outcome.kind, clientId: where.clientId, method });
    // A login of the session is one more login; its outcome kind says it came from the session.
    if (OUTCOME_KINDS[outcome.kind].counts === 'login') metrics.login({ action: outcome.kind === 'logged-in' ? outcome.action : 'login', clientId: where.clientId, method });
    const code = codeOf(outcome);
    if (code !== undefined) metrics.failure({ route: where.route, clientId: where.clientId, method, code });
  }
}
