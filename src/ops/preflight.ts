import { sql } from 'kysely';
import { systemClock, type Clock } from '../clock.ts';
import { BrokerError } from '../errors/broker-error.ts';
import type { DurableStore } from '../store/durable/database.ts';

/** An upstream that failed to answer this recently is probed before a user is sent to it. */
const RECENT_FAILURE_MS = 60_000;
/** A probe's result serves every user choosing that upstream for this long. */
const PROBE_RESULT_MS = 5_000;
/** A database check that passed covers the next second of redirects. */
const DATABASE_OK_MS = 1_000;

type Fetch = (...args: never[]) => Promise<Response>;

export interface PreflightOptions {
  durable: DurableStore;
  /** Fetches the upstream's discovery document afresh, with a short time limit; rejects when unreachable. */
  probe: (upstream: string) => Promise<void>;
  clock?: Clock;
}

/**
 * Checks made before a user is sent to an upstream, so that a failure shows before the MitID step
 * instead of after it: the database answers (else 502; checked at most once a second), and an
 * upstream that failed recently (a connection that got no answer, or a failed readiness check)
 * answers a short probe (else 501 instead of a browser connection error at the upstream).
 */
export class Preflight {
  readonly #options: PreflightOptions;
  readonly #clock: Clock;
  readonly #lastFailure = new Map<string, number>();
  readonly #probes = new Map<string, { at: number; reachable: Promise<boolean> }>();
  #databaseOkAt = -Infinity;

  constructor(options: PreflightOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** Records what was seen of an upstream: no answer at all (`false`) or an answer of any kind (`true`). */
  report(upstream: string, reachable: boolean): void {
    if (reachable) this.#lastFailure.delete(upstream);
    else this.#lastFailure.set(upstream, this.#clock());
  }

  /** Records a database check made elsewhere (readiness): a failure ends the cached pass at once. */
  reportDatabase(ok: boolean): void {
    this.#databaseOkAt = ok ? this.#clock() : -Infinity;
  }

  /** `send` with every call's fate reported: a thrown network failure marks the upstream, an answer clears it. */
  tracked<F extends Fetch>(upstream: string, send: F): F {
    return (async (...args: Parameters<F>) => {
      try {
        const response = await send(...args);
        this.report(upstream, true);
        return response;
      } catch (error) {
        this.report(upstream, false);
        throw error;
      }
    }) as F;
  }

  async beforeUpstream(upstream: string): Promise<void> {
    await Promise.all([this.#database(), this.#upstream(upstream)]);
  }

  async #database(): Promise<void> {
    const now = this.#clock();
    if (now - this.#databaseOkAt < DATABASE_OK_MS) return;
    try {
      await sql`select 1`.execute(this.#options.durable.db);
    } catch (error) {
      throw new BrokerError(502, { detail: 'database unreachable before the upstream step', cause: error });
    }
    this.#databaseOkAt = now;
  }

  async #upstream(upstream: string): Promise<void> {
    const failedAt = this.#lastFailure.get(upstream);
    const now = this.#clock();
    if (failedAt === undefined || now - failedAt > RECENT_FAILURE_MS) return;
    let probe = this.#probes.get(upstream);
    if (!probe || now - probe.at > PROBE_RESULT_MS) {
      probe = { at: now, reachable: this.#options.probe(upstream).then(() => true, () => false) };
      this.#probes.set(upstream, probe);
    }
    if (await probe.reachable) this.report(upstream, true);
    else throw new BrokerError(501, { detail: `${upstream}: unreachable at its last check; the user is not sent there` });
  }
}
