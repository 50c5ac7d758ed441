import { BrokerError } from '../errors/broker-error.ts';
import type { ErrorCode } from '../errors/catalogue.ts';
import type { Logger } from '../logger.ts';
import type { ConnectorObserver } from '../upstream/observed-connector.ts';
import type { Metrics } from './metrics.ts';
import type { UpstreamAnswer, UpstreamHealth } from './upstream-health.ts';

/** A failure that points at the integration between Portvagt and the upstream, not at the user. */
export type IntegrationFault = 'unknown_reason' | 'token_exchange' | 'token_invalid';

export interface UpstreamOutcome {
  answer: UpstreamAnswer;
  fault?: IntegrationFault;
}

/**
 * Which broker codes are technical failures of an upstream. Everything else an upstream says (a
 * login, a cancel, a mistyped code, a blocked identity, a plain error response) is an answer: the
 * upstream works, the user's login did not. 5501 without guidance is a reason the dialect's table
 * does not know.
 */
const TECHNICAL: Partial<Record<ErrorCode, (error: BrokerError) => IntegrationFault | undefined>> = {
  501: () => undefined,
  3004: () => 'token_exchange',
  3005: () => 'token_invalid',
  5501: (error) => (error.guidance ? undefined : 'unknown_reason'),
};

/** How one upstream answer counts; undefined for failures that are Portvagt's own (not the upstream's). */
export function classifyUpstreamOutcome(error?: unknown): UpstreamOutcome | undefined {
  if (error === undefined) return { answer: 'answered' };
  if (!(error instanceof BrokerError)) return undefined;
  const technical = TECHNICAL[error.code];
  if (!technical) return { answer: 'answered' };
  const fault = technical(error);
  return fault ? { answer: 'technical', fault } : { answer: 'technical' };
}

/** The composition root's observer of upstream answers: metrics, an error log line per integration fault, the shared window. */
export function upstreamOutcomeRecorder(deps: { metrics: Metrics; health: UpstreamHealth; log: Logger }): ConnectorObserver {
  return (upstream, error) => {
    const outcome = classifyUpstreamOutcome(error);
    if (!outcome) return;
    deps.metrics.upstreamAnswer(upstream, outcome.answer);
    if (outcome.fault) {
      deps.metrics.integrationFault(upstream, outcome.fault);
      deps.log.error({ event: 'upstream.integration_fault', upstream, fault: outcome.fault, detail: (error as BrokerError).detail }, 'integration fault at an upstream');
    }
    deps.health.record(upstream, outcome.answer);
  };
}
