import { timingSafeEqual } from 'node:crypto';
import express, { type Request, type Router } from 'express';
import type { Config } from '../config/model.ts';
import type { Metrics } from './metrics.ts';
import type { Readiness } from './readiness.ts';

export interface OpsDeps {
  config: Config;
  metrics: Metrics;
  readiness: () => Promise<Readiness>;
}

function bearerMatches(req: Request, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Probes and metrics for the orchestrator and Prometheus, mounted before the pages and the provider so
 * that they never touch a browser's cookies. `/metrics` is off with `ops.metrics: false` and needs
 * `Authorization: Bearer <ops.metrics_token>` when a token is configured.
 */
export function opsRoutes(deps: OpsDeps): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.set('cache-control', 'no-store').json({ status: 'alive' });
  });
  router.get('/readyz', async (_req, res) => {
    const readiness = await deps.readiness();
    res.set('cache-control', 'no-store').status(readiness.ready ? 200 : 503).json({ status: readiness.status, failing: readiness.failing, checks: readiness.checks });
  });
  if (deps.config.ops.metrics) {
    const token = deps.config.ops.metrics_token;
    router.get('/metrics', async (req, res) => {
      if (token && !bearerMatches(req, token)) return void res.status(401).set('www-authenticate', 'Bearer').end();
      res.set('content-type', deps.metrics.registry.contentType).set('cache-control', 'no-store').send(await deps.metrics.registry.metrics());
    });
  }
  return router;
}
