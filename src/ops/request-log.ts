import type { RequestHandler } from 'express';
import type { Logger } from '../logger.ts';

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One log line per request: method, path, status, duration and the client address (through
 * `server.trust_proxy`). Only the path is logged: query strings carry upstream codes and states,
 * and headers carry cookies, so neither ever reaches the log.
 */
export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const path = req.path;
    res.once('finish', () => {
      const level = PROBES.has(path) ? 'debug' : 'info';
      if (!log.isLevelEnabled(level)) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log[level]({ method: req.method, path, status: res.statusCode, ms: Math.round(ms * 10) / 10, ip: req.ip }, 'request');
    });
    next();
  };
}
