import { newReference } from '../errors/reference.ts';
import type { Logger } from '../logger.ts';

/** What of a provider (Koa) request an outage answer sets. */
interface OutageAnswerable {
  path: string;
  status: number;
  body: unknown;
  set(headers: Record<string, string>): void;
}

/**
 * Answers a machine endpoint (token, userinfo) whose store is down with what an RP's back end can
 * retry: 503 `temporarily_unavailable` with Retry-After, logged at error level with a reference id.
 * Never a page: these are JSON endpoints.
 */
export function answerOutage(ctx: OutageAnswerable, log: Logger, cause: unknown): void {
  const reference = newReference();
  log.error({ reference, path: ctx.path, err: cause }, 'store unavailable at a machine endpoint');
  ctx.status = 503;
  ctx.set({ 'cache-control': 'no-store', 'retry-after': '5' });
  ctx.body = { error: 'temporarily_unavailable', error_description: `The service is temporarily unavailable; try again shortly (reference ${reference}).` };
}
