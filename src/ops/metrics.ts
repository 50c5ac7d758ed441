import type { ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Config } from '../config/model.ts';
import type { UpstreamCall } from '../upstream/upstream-fetch.ts';
import type { Readiness } from './readiness.ts';

interface Labels {
  clientId?: string | undefined;
  method?: string | undefined;
}

/** A login released to a system: by the action the system asked for, client and method. */
export interface LoginLabels extends Labels {
  action: string;
}

/** A failure with a code: by the route that failed, client, method and code. */
export interface FailureLabels extends Labels {
  route: string;
  code: number;
}

/** Any outcome of a login (outcomes/outcome.ts): by kind, client and method. */
export interface OutcomeLabels extends Labels {
  kind: string;
}

/** From a fast page (10 ms) to an upstream timing out (10 s). */
const LATENCY_BUCKETS_SECONDS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Portvagt's Prometheus metrics, one registry per instance (tests run two instances in one process).
 * Label values come from the configuration or the code catalogue only, so a request cannot grow
 * the number of series: anything else is counted as `other`.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly clients: ReadonlySet<string>;
  private readonly methods: ReadonlySet<string>;
  private readonly logins: Counter<'action' | 'client' | 'method'>;
  private readonly failures: Counter<'route' | 'client' | 'method' | 'code'>;
  private readonly outcomes: Counter<'kind' | 'client' | 'method'>;
  private readonly routes: Histogram<'route' | 'result'>;
  private readonly backchannelFailures: Counter<'client'>;
  private readonly upstreamCalls: Histogram<'upstream' | 'outcome'>;
  private readonly upstreamAnswers: Counter<'upstream' | 'answer'>;
  private readonly integrationFaults: Counter<'upstream' | 'fault'>;
  private readonly degraded: Gauge<'upstream'>;
  private readonly notices: Gauge<'upstream'>;
  private readonly stateChanges: Counter<'upstream' | 'state'>;
  private readonly upstreamUp: Gauge<'upstream'>;

  constructor(config: Pick<Config, 'clients' | 'methods'>) {
    this.clients = new Set(config.clients.keys());
    this.methods = new Set(config.methods.keys());
    const registers = [this.registry];
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) => new Counter<L>({ name, help, labelNames, registers });
    collectDefaultMetrics({ register: this.registry });
    this.logins = counter('portvagt_logins_total', 'Logins released to a system, by the action it asked for (login, first-login, link), client and login method', ['action', 'client', 'method']);
    this.failures = counter('portvagt_failures_total', 'Failures with a Portvagt error code (error pages, refused first-time logins), by code, route, client and login method', ['route', 'client', 'method', 'code']);
    this.outcomes = counter('portvagt_outcomes_total', 'Outcomes of logins by kind (logged-in, sso-released, method-linked, cancelled, cpr-mismatch, refused, failed), client and login method', ['kind', 'client', 'method']);
    this.backchannelFailures = counter('portvagt_backchannel_logout_failures_total', 'Back-channel logouts not delivered after every retry, by system: it may still hold the session', ['client']);
    this.routes = new Histogram({
      name: 'portvagt_route_duration_seconds',
      help: 'Time Portvagt spent answering one request of a flow route (chooser, callback, forms), upstream calls included',
      labelNames: ['route', 'result'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });
    this.upstreamCalls = new Histogram({
      name: 'portvagt_upstream_request_duration_seconds',
      help: 'HTTP calls to upstream identity providers (discovery, token, JWKS); outcome is the HTTP status class or "error"',
      labelNames: ['upstream', 'outcome'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });
    this.upstreamAnswers = new Counter({
      name: 'portvagt_upstream_answers_total',
      help: 'Answers of upstreams to logins: "answered" (a login or a user\'s own failure) or "technical" (501, 3004, 3005, 5501)',
      labelNames: ['upstream', 'answer'],
      registers,
    });
    this.integrationFaults = counter('portvagt_integration_faults_total', 'Error-level faults of an upstream integration: a reason its dialect does not know, a refused token exchange, an invalid token', ['upstream', 'fault']);
    this.degraded = new Gauge({
      name: 'portvagt_upstream_degraded',
      help: '1 while the chooser marks the upstream as disturbed (its recent answers are mostly technical failures)',
      labelNames: ['upstream'],
      registers,
    });
    this.notices = new Gauge({
      name: 'portvagt_upstream_notice',
      help: "1 while an operator's notice is shown on the upstream's login method",
      labelNames: ['upstream'],
      registers,
    });
    this.stateChanges = counter('portvagt_upstream_state_changes_total', 'Changes of an upstream between degraded and recovered, as this instance saw them', ['upstream', 'state']);
    for (const upstream of this.methods) {
      this.degraded.set({ upstream }, 0);
      this.notices.set({ upstream }, 0);
    }
    this.upstreamUp = new Gauge({
      name: 'portvagt_upstream_up',
      help: "1 when the upstream's discovery answered at the last readiness check, else 0",
      labelNames: ['upstream'],
      registers,
    });
  }

  /** Records an upstream's state as the last readiness check saw it. */
  upstreamReachable(upstream: string, up: boolean): void {
    this.upstreamUp.set({ upstream: this.method(upstream) }, up ? 1 : 0);
  }

  private client(id: string | undefined): string {
    if (!id) return 'none';
    return this.clients.has(id) ? id : 'other';
  }

  private method(id: string | undefined): string {
    if (!id) return 'none';
    return this.methods.has(id) ? id : 'other';
  }

  login(labels: LoginLabels): void {
    this.logins.inc({ action: labels.action, client: this.client(labels.clientId), method: this.method(labels.method) });
  }

  failure(labels: FailureLabels): void {
    this.failures.inc({ route: labels.route, client: this.client(labels.clientId), method: this.method(labels.method), code: String(labels.code) });
  }

  backchannelFailure(clientId: string): void {
    this.backchannelFailures.inc({ client: this.client(clientId) });
  }

  outcome(labels: OutcomeLabels): void {
    this.outcomes.inc({ kind: labels.kind, client: this.client(labels.clientId), method: this.method(labels.method) });
  }

  upstreamAnswer(upstream: string, answer: string): void {
    this.upstreamAnswers.inc({ upstream: this.method(upstream), answer });
  }

  integrationFault(upstream: string, fault: string): void {
    this.integrationFaults.inc({ upstream: this.method(upstream), fault });
  }

  upstreamStatus(upstream: string, degraded: boolean, notice: boolean): void {
    this.degraded.set({ upstream: this.method(upstream) }, degraded ? 1 : 0);
    this.notices.set({ upstream: this.method(upstream) }, notice ? 1 : 0);
  }

  upstreamStateChange(upstream: string, degraded: boolean): void {
    this.stateChanges.inc({ upstream: this.method(upstream), state: degraded ? 'degraded' : 'recovered' });
  }

  /**
   * Readiness as metrics, checked afresh at every scrape: `portvagt_ready` and one
   * `portvagt_readiness_check` per check (database, store, each upstream's discovery).
   */
  watchReadiness(readiness: () => Promise<Readiness>): void {
    let last: Promise<Readiness> | undefined;
    // Both gauges are collected in one scrape: they share one check.
    const current = () => (last ??= readiness().finally(() => setImmediate(() => (last = undefined))));
    new Gauge({
      name: 'portvagt_ready',
      help: '1 when this instance is ready to serve logins (what /readyz answers with 200)',
      registers: [this.registry],
      async collect() {
        this.set((await current()).ready ? 1 : 0);
      },
    });
    new Gauge({
      name: 'portvagt_readiness_check',
      help: '1 when a readiness check passes, by check (database, redis or ephemeral_store, upstream:<id>)',
      labelNames: ['check'],
      registers: [this.registry],
      async collect() {
        const { checks } = await current();
        this.reset();
        for (const [check, result] of Object.entries(checks)) this.set({ check }, result.ok ? 1 : 0);
      },
    });
  }

  /** Times a request of a flow route until its response is sent; an error status counts as `failed`. */
  timeRoute(route: string, res: ServerResponse): void {
    const end = this.routes.startTimer({ route });
    // A failed step redirects to its error page (POST/redirect/GET), so the redirect counts as failed too.
    const failed = () => res.statusCode >= 400 || String(res.getHeader('location') ?? '').startsWith('/error/');
    res.once('finish', () => void end({ result: failed() ? 'failed' : 'ok' }));
  }

  /** One HTTP call to an upstream (discovery, token, JWKS), as the upstream layer reports it. */
  upstreamCall(call: UpstreamCall): void {
    this.upstreamCalls.observe({ upstream: this.method(call.upstream), outcome: call.outcome }, call.seconds);
  }
}
