import type { Logger } from '../logger.ts';
import type { Metrics } from '../ops/metrics.ts';

/** What a back-channel logout needs of oidc-provider's client (its type definitions leave the method out). */
export interface LogoutClient {
  clientId: string;
  backchannelLogoutUri?: string | undefined;
  backchannelLogout(sub: string, sid: string): Promise<void>;
}

export interface BackchannelDeps {
  log: Logger;
  metrics: Pick<Metrics, 'backchannelFailure'>;
  /** The delays of the retries (default `BACKCHANNEL_RETRIES_MS`); tests shorten them. */
  backchannelRetriesMs?: readonly number[] | undefined;
}

/** A back-channel logout delivery is tried this many more times, this long apart, before it counts as failed. */
const BACKCHANNEL_RETRIES_MS: readonly number[] = [2_000, 10_000, 30_000];

/**
 * A back-channel logout that failed is tried again a few times, each failure a log line; one that
 * never arrives is an error and a metric: that system may still hold the user's session.
 */
export function retryBackchannel(deps: BackchannelDeps, client: LogoutClient, accountId: string, sid: string, error: Error, attempt = 0): void {
  const delay = (deps.backchannelRetriesMs ?? BACKCHANNEL_RETRIES_MS)[attempt];
  if (delay === undefined) {
    deps.metrics.backchannelFailure(client.clientId);
    deps.log.error({ event: 'backchannel.failed', clientId: client.clientId, attempts: attempt + 1, err: error }, 'back-channel logout not delivered: the system may still hold the session');
    return;
  }
  deps.log.warn({ event: 'backchannel.retry', clientId: client.clientId, attempt: attempt + 1, err: error }, 'back-channel logout failed, trying again');
  setTimeout(() => {
    client.backchannelLogout(accountId, sid).catch((next: Error) => retryBackchannel(deps, client, accountId, sid, next, attempt + 1));
  }, delay).unref();
}
