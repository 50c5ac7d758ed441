import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { lookup, type Config } from '../config/model.ts';
import type { Advice } from '../errors/advice.ts';
import { errorContent } from './error-content.ts';
import { browserId } from '../http/browser-cookies.ts';
import { flowUrl } from '../http/flow-url.ts';
import { resolveLocale, type Brand, type PageRenderer } from '../http/page.ts';
import type { PageTokens } from '../http/page-token.ts';
import type { EphemeralStore } from '../store/ephemeral/ephemeral-store.ts';
import { BrokerError, type Levels } from '../errors/broker-error.ts';
import { CATALOGUE, type ErrorCode } from '../errors/catalogue.ts';
import { toBrokerError } from '../errors/classify.ts';
import { elsewhere } from '../errors/elsewhere.ts';
import type { OutcomeJournal, Where } from './journal.ts';

/** What is known about where the failure happened; decides the page's buttons and the outcome's record. */
export interface FailureContext extends Where {
  brand?: Brand | undefined;
  uiLocales?: string | undefined;
  /** The flow the failure happened in: "try again" and "back to the system" lead into it. */
  flowUid?: string | undefined;
  /** Answer on the failing request itself (an unknown address: nothing to replay, nothing to keep). */
  inPlace?: true | undefined;
}

export type ErrorResponder = (req: Request, res: Response, error: unknown, context: FailureContext) => Promise<void>;

/**
 * What an error page shows, kept on the server under a random id for the browser that failed: the
 * code, the client's branding, the language, the reference and time. Never upstream text.
 */
interface FailureRecord {
  code: ErrorCode;
  status: number;
  /** The dialect row's advice and the code's wording (see error-content.ts): keys and flags, no upstream text. */
  advice?: Advice | undefined;
  variant?: string | undefined;
  levels?: Levels | undefined;
  dialect?: string | undefined;
  clientId?: string | undefined;
  tenant?: string | undefined;
  method?: string | undefined;
  reference: string;
  at: number;
  browser: string;
  brand?: Brand | undefined;
  uiLocales?: string | undefined;
  flowUid?: string | undefined;
}

const FAILURE_TTL_SECONDS = 3600;

/** "Back to the system" says what it is for where that is more than leaving: a link flow starts over from there. */
const BACK_LABELS: Partial<Record<ErrorCode, string>> = { 4100: 'ui.errorPage.restartLink' };
const FAILURE_PATH = /^[\w-]{22}$/;

export interface ErrorPageDeps {
  config: Config;
  journal: OutcomeJournal;
  pages: PageRenderer;
  store: EphemeralStore;
  tokens: PageTokens;
}

/**
 * Error pages follow POST/redirect/GET: the failing request records its outcome (journal.ts),
 * keeps what the page shows, and redirects to `/error/<id>`. That page can be reloaded, reached
 * again with back and switched to another language without repeating what failed.
 */
export function errorPages(deps: ErrorPageDeps): { fail: ErrorResponder; routes: Router } {
  function render(req: Request, res: Response, record: FailureRecord): void {
    const entry = CATALOGUE[record.code];
    const flow = record.flowUid;
    const retryUrl = flow ? flowUrl(flow) : undefined;
    const error = new BrokerError(record.code, { advice: record.advice, variant: record.variant, levels: record.levels, upstream: record.dialect ? { upstream: record.method ?? '', dialect: record.dialect } : undefined });
    const context = { clientId: record.clientId, tenant: record.tenant, method: record.method, retryUrl };
    const back = entry.backToSystem && flow && record.brand ? { action: flowUrl(flow, 'abort'), csrf: deps.tokens.csrf(record.browser, flow), system: record.brand.name, labelKey: BACK_LABELS[record.code] ?? 'ui.errorPage.backToSystem' } : undefined;
    const home = lookup(deps.config.clients, record.clientId)?.clientUri;
    deps.pages.render(
      req,
      res,
      'error',
      {
        code: record.code,
        ...errorContent(deps.config, error, context, resolveLocale(req, record.uiLocales)),
        reference: record.reference,
        at: new Date(record.at).toISOString(),
        atMs: record.at,
        retryUrl,
        csrf: flow ? deps.tokens.csrf(record.browser, flow) : undefined,
        back,
        // Without a flow of this browser to leave, the way back is the system's home page, to start over there.
        restart: !back && home && record.brand ? { href: home, system: record.brand.name } : undefined,
      },
      { titleKey: 'ui.errorPage.codeLabel', brand: record.brand, uiLocales: record.uiLocales, errorCode: record.code, status: record.status },
    );
  }

  const fail: ErrorResponder = async (req, res, thrown, context) => {
    const error = toBrokerError(thrown);
    const reference = await deps.journal.record({ kind: 'failed', error }, context);
    if (res.headersSent) return;
    const failure: FailureRecord = {
      code: error.code,
      status: error.status,
      advice: error.advice,
      variant: error.variant,
      levels: error.levels,
      dialect: error.upstream?.dialect,
      clientId: context.clientId,
      tenant: context.tenant,
      method: context.method,
      reference,
      at: Date.now(),
      browser: req.browser?.id() ?? '',
      brand: context.brand,
      uiLocales: context.uiLocales,
      flowUid: context.flowUid,
    };
    // A browser that brought no cookie may refuse the one set now, and would not find its page after a redirect.
    if (!context.inPlace && req.browser?.returning) {
      const id = randomBytes(16).toString('base64url');
      const kept = await deps.store.set(`failure:${id}`, failure, FAILURE_TTL_SECONDS).then(
        () => true,
        // The store may be what failed: the page is shown on this request instead.
        () => false,
      );
      if (kept) return res.redirect(303, `/error/${id}`);
    }
    render(req, res, failure);
  };

  const routes = express.Router();
  routes.get('/error/:id', async (req, res) => {
    const id = String(req.params.id);
    let failure: FailureRecord | undefined;
    try {
      failure = FAILURE_PATH.test(id) ? await deps.store.get<FailureRecord>(`failure:${id}`) : undefined;
    } catch (error) {
      return fail(req, res, error, { route: 'error-page', inPlace: true });
    }
    if (!failure) {
      // Gone (kept an hour) or never there: the address leads nowhere.
      return fail(req, res, elsewhere('unknownLink', 'error page unknown'), { route: 'error-page', inPlace: true });
    }
    if (failure.browser !== browserId(req)) {
      // Another browser's page: said so, branded for its system, never showing that browser's failure.
      const { clientId, tenant, brand, uiLocales } = failure;
      return fail(req, res, elsewhere('otherBrowser', 'error page of another browser'), { route: 'error-page', inPlace: true, clientId, tenant, brand, uiLocales });
    }
    render(req, res, failure);
  });

  return { fail, routes };
}
