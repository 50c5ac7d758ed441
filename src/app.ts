import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type Provider from 'oidc-provider';
import type { AccountRepository } from './accounts/accounts.ts';
import type { AuditLog } from './outcomes/audit-log.ts';
import type { OutcomeJournal } from './outcomes/journal.ts';
import { accountRoutes } from './account-page/account-routes.ts';
import { managementApi } from './api/router.ts';
import type { InvitationRepository } from './accounts/invitations.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config/model.ts';
import { BrokerError } from './errors/broker-error.ts';
import { browserCookies } from './http/browser-cookies.ts';
import type { ErrorResponder } from './outcomes/error-page.ts';
import type { FlowDeps } from './flows/flow-context.ts';
import { FlowStore } from './flows/flow-state.ts';
import { flowRoutes } from './flows/flow-routes.ts';
import { contentSecurityPolicy } from './http/csp.ts';
import { helpPage } from './outcomes/help-page.ts';
import { languageRoutes } from './http/language-routes.ts';
import { unknownEndpoint } from './http/unknown-endpoint.ts';
import { notFoundPage, siteFiles } from './http/site-files.ts';
import { designSystemAssets } from './http/static-assets.ts';
import type { PageRenderer } from './http/page.ts';
import type { PageTokens } from './http/page-token.ts';
import type { Logger } from './logger.ts';
import type { InvitationMailer } from './mail/invitation-mail.ts';
import type { Metrics } from './ops/metrics.ts';
import { opsRoutes } from './ops/ops-routes.ts';
import type { Preflight } from './ops/preflight.ts';
import type { Readiness } from './ops/readiness.ts';
import type { UpstreamHealth } from './ops/upstream-health.ts';
import { requestLog } from './ops/request-log.ts';
import { brokerSessions } from './sessions/broker-session.ts';
import { providerHandler } from './provider/unrouted.ts';
import type { EphemeralStore } from './store/ephemeral/ephemeral-store.ts';
import type { Connector } from './upstream/connector.ts';

const PROVIDER_PATHS = /^\/(\.well-known\/|auth(\/|$)|token(\/|$)|request$|me$|jwks$|session\/end(\/|$))/;
/** The provider's machine-to-machine endpoints: JSON for RPs' back ends, never a page or a browser. */
const MACHINE_PATHS = /^\/(\.well-known\/|token(\/|$)|request$|me$|jwks$)/;
/** Where the broker session is read (a request without its cookie costs nothing): the flows, the provider's authorization endpoint and logout, the account page. */
const SESSION_PATHS = ['/interaction', '/callback', '/auth', '/session', '/account'];

const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');

export interface AppDeps {
  config: Config;
  provider: Provider;
  store: EphemeralStore;
  accounts: AccountRepository;
  invitations: InvitationRepository;
  audit: AuditLog;
  journal: OutcomeJournal;
  connectors: ReadonlyMap<string, Connector>;
  pages: PageRenderer;
  tokens: PageTokens;
  fail: ErrorResponder;
  /** The error pages (`/error/<id>`) the failures redirect to. */
  errorRoutes: express.Router;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  health: Pick<UpstreamHealth, 'status'>;
  mailer: InvitationMailer;
  readiness: () => Promise<Readiness>;
  preflight: Preflight;
  /** Extra routers mounted before the provider (demo RP, mock upstreams). */
  extraRoutes?: express.Router[];
}

/**
 * oidc-provider (Koa) can only trust X-Forwarded-* from every peer or from none. It is handed the
 * values Express derived under `server.trust_proxy` instead of what the client sent, so the two
 * always agree and an untrusted peer's headers reach neither.
 */
function forwardedAsTrusted(req: Request): Request {
  req.headers['x-forwarded-for'] = req.ip ?? '';
  req.headers['x-forwarded-proto'] = req.protocol;
  req.headers['x-forwarded-host'] = req.host;
  return req;
}

export function buildApp(deps: AppDeps): Express {
  const { config } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.server.trust_proxy);
  const secure = config.server.base_url.startsWith('https:');
  app.use(requestLog(deps.log));
  app.use(opsRoutes(deps));

  // Pages only from here on: the machine endpoints skip nonce, page headers and the browser cookies.
  const pages = express.Router();
  app.use((req, res, next) => (MACHINE_PATHS.test(req.path) ? next() : pages(req, res, next)));
  // helmet's other headers; the policy is ours, so that only a rendered page pays for a nonce.
  pages.use(helmet({ contentSecurityPolicy: false, strictTransportSecurity: secure }));
  pages.use(contentSecurityPolicy(secure));
  pages.use('/static', express.static(PUBLIC_DIR, { maxAge: '1h', index: false }));
  pages.use(designSystemAssets());
  pages.use(siteFiles(PUBLIC_DIR));
  pages.use(browserCookies(secure));
  // The broker session where logins are released and ended: the flows, the provider's authorization and logout.
  pages.use(SESSION_PATHS, brokerSessions({ store: deps.store, cookieKeys: config.secrets.cookie_keys, secure, clock: deps.clock }));

  // The provider's own endpoints go to it at once, past the routes of the flows and the other pages.
  const provider = providerHandler(deps.provider, forwardedAsTrusted);
  app.use((req, res, next) => (PROVIDER_PATHS.test(req.path) ? provider(req, res, next) : next()));
  // What the provider does not serve: at a machine address a JSON error, at a page address the 404 page below.
  app.use((req, res, next) => (MACHINE_PATHS.test(req.path) ? unknownEndpoint(req, res) : next()));

  const notFound = notFoundPage(deps.pages);
  // The pages take no OPTIONS (no CORS): Express would answer one at a page's route with a bare list of methods.
  app.options(/^(?!\/api\/)/, notFound);
  const { connectors, accounts, invitations, journal, tokens, fail, clock, health, preflight } = deps;
  // Flows get no store, log or metrics of their own: they return outcomes, which the journal records.
  const flowDeps: FlowDeps = {
    config,
    provider: deps.provider,
    pages: deps.pages,
    connectors,
    accounts,
    invitations,
    journal,
    tokens,
    fail,
    clock,
    health,
    preflight,
    flows: new FlowStore(deps.store),
    attempts: deps.store,
    timeRoute: (route, res) => deps.metrics.timeRoute(route, res),
  };
  app.use(flowRoutes(flowDeps));
  app.use(deps.errorRoutes);
  app.use(languageRoutes((req, res, error) => deps.fail(req, res, error, { route: 'language' })));
  app.get('/help/errors', helpPage(config, deps.pages));
  app.use(accountRoutes({ config, accounts, audit: deps.audit, store: deps.store, journal, provider: deps.provider, tokens, pages: deps.pages, fail, clock }));
  for (const router of deps.extraRoutes ?? []) app.use(router);
  app.use('/api/v1', managementApi(deps));

  // Any other address is a plain "not found" page.
  app.use(notFound);

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: number; type?: string } | null)?.status;
    // Body-parser failures (oversized or malformed forms) are bad requests, not crashes.
    const mapped = status && status >= 400 && status < 500 ? new BrokerError(3000, { detail: `bad request body (${status})` }) : error;
    void deps.fail(req, res, mapped, { route: 'request' });
  });
  return app;
}
