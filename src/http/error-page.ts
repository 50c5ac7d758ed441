import type { Request, Response } from 'express';
import type { AuditLog } from '../accounts/audit.ts';
import type { Brand, PageRenderer } from './page.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import { CATALOGUE } from '../errors/catalogue.ts';
import { toBrokerError } from '../errors/classify.ts';
import { newReference } from '../errors/reference.ts';

/** What is known about where the failure happened; decides the page's buttons and the audit event. */
export interface FailureContext {
  event: string;
  clientId?: string | undefined;
  tenant?: string | undefined;
  method?: string | undefined;
  accountId?: string | undefined;
  brand?: Brand | undefined;
  uiLocales?: string | undefined;
  /** Where "Try again" leads (the RP's login start), if known. */
  retryUrl?: string | undefined;
  /** The form that returns an OAuth error to the RP, when client and redirect URI are known good. */
  back?: { action: string; csrf: string; system: string } | undefined;
}

export type ErrorResponder = (req: Request, res: Response, error: unknown, context: FailureContext) => Promise<void>;

export function errorResponder(deps: { log: Logger; audit: AuditLog; pages: PageRenderer; metrics: Metrics }): ErrorResponder {
  return async (req, res, thrown, context) => {
    const error = toBrokerError(thrown);
    const reference = newReference();
    const at = new Date();
    const entry = CATALOGUE[error.code];
    const logFields = {
      reference,
      code: error.code,
      event: context.event,
      clientId: context.clientId,
      tenant: context.tenant,
      method: context.method,
      upstream: error.upstream,
      detail: error.detail,
    };
    if (error.code === 500 || error.code === 502) deps.log.error({ ...logFields, err: error.cause ?? error }, 'flow failed');
    else deps.log.warn(logFields, 'flow failed');
    deps.metrics.failure({ flow: context.event, clientId: context.clientId, method: context.method, code: error.code });
    try {
      await deps.audit.record({
        reference,
        event: context.event,
        outcome: 'failure',
        code: error.code,
        tenant: context.tenant,
        clientId: context.clientId,
        method: context.method,
        accountId: context.accountId,
        upstreamReason: error.upstream ? [error.upstream.dialect, error.upstream.reason ?? error.upstream.error].filter(Boolean).join(':') : undefined,
        detail: error.detail,
      });
    } catch (auditError) {
      // The store may be what failed; the log line above still carries the reference.
      deps.log.error({ reference, err: auditError }, 'audit event not recorded');
    }
    if (res.headersSent) return;
    deps.pages.render(
      req,
      res,
      'error',
      {
        code: error.code,
        guidance: error.guidance,
        reference,
        at: at.toISOString(),
        atText: at.toISOString().replace('T', ' ').slice(0, 19) + ' UTC',
        retryUrl: entry.retry ? context.retryUrl : undefined,
        back: entry.backToSystem ? context.back : undefined,
      },
      { titleKey: 'ui.errorPage.title', brand: context.brand, uiLocales: context.uiLocales, errorCode: error.code, status: error.status },
    );
  };
}
