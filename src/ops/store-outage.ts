import type { NextFunction, Request, Response } from 'express';
import { newReference } from '../errors/reference.ts';
import type { Logger } from '../logger.ts';
import type { Preflight } from './preflight.ts';

/** The machine endpoints whose answer needs the durable store: the token exchange and userinfo. */
const NEEDS_DATABASE = /^\/(token|me)$/;

/** Status and headers of the answer to a store outage at a machine endpoint. */
export const OUTAGE_STATUS = 503;
export const OUTAGE_HEADERS = { 'cache-control': 'no-store', 'retry-after': '5' };

/**
 * The body of the answer an RP's back end can retry when a store is down (with OUTAGE_STATUS and
 * OUTAGE_HEADERS): `temporarily_unavailable`, logged at error level with a reference id. Never a
 * page: these are JSON endpoints.
 */
export function outageBody(log: Logger, path: string, cause?: unknown): { error: string; error_description: string } {
  const reference = newReference();
  log.error({ reference, path, err: cause }, 'store unavailable at a machine endpoint');
  return { error: 'temporarily_unavailable', error_description: `The service is temporarily unavailable; try again shortly (reference ${reference}).` };
}

/**
 * Before the token exchange (and userinfo) reaches oidc-provider, which would spend the code first and
 * fail on the account lookup after: with the database down the request is answered 503 and the code
 * stays valid for a retry.
 */
export function storeOutageGuard(preflight: Preflight, log: Logger) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (!NEEDS_DATABASE.test(req.path) || (await preflight.databaseAnswers())) return next();
    res.status(OUTAGE_STATUS).set(OUTAGE_HEADERS).json(outageBody(log, req.path));
  };
}
