import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import type { Config } from '../config/model.ts';
import type { Logger } from '../logger.ts';
import type { EphemeralStore } from '../store/ephemeral/ephemeral-store.ts';
import type { Metrics } from './metrics.ts';
import { readNotice, type OperatorNotice } from './upstream-notices.ts';

/** How an upstream answered one login: as an identity provider should (a login, a user's own failure), or not. */
export type UpstreamAnswer = 'answered' | 'technical';

export interface UpstreamStatus {
  /** Most recent answers, across all instances, were technical failures. */
  degraded: boolean;
  notice?: OperatorNotice | undefined;
}

/** The window is kept as this many buckets, so it rolls forward a tenth at a time. */
const BUCKETS = 10;
const HEALTHY: UpstreamStatus = { degraded: false };

export interface UpstreamHealthDeps {
  store: EphemeralStore;
  upstreams: readonly string[];
  thresholds: Config['degraded'];
  log: Logger;
  metrics: Metrics;
  clock?: Clock;
}

/**
 * A rolling window of upstream answers shared by every instance through the ephemeral store (one
 * counter per upstream, bucket and kind of answer), plus the operators' notices. Each instance counts
 * its answers in memory and adds them to the shared counters when it refreshes, every
 * `refresh_seconds` (a store write per refresh instead of one per login); then it re-reads the window
 * and the notices and keeps the result, so the chooser reads it without a round trip. The first
 * instance to see a change of state logs it and counts it.
 */
export class UpstreamHealth {
  private readonly statuses = new Map<string, UpstreamStatus>();
  private readonly bucketMs: number;
  private readonly clock: Clock;
  private timer: NodeJS.Timeout | undefined;
  private storeFailing = false;
  /** Answers counted here and not yet added to the shared counters, by counter key. */
  private unsent = new Map<string, { bucket: number; count: number }>();
  private readonly deps: UpstreamHealthDeps;

  constructor(deps: UpstreamHealthDeps) {
    this.deps = deps;
    this.bucketMs = (deps.thresholds.window_seconds * 1000) / BUCKETS;
    this.clock = deps.clock ?? systemClock;
  }

  private key(upstream: string, bucket: number, answer: UpstreamAnswer): string {
    return `upstream-health:${upstream}:${bucket}:${answer}`;
  }

  record(upstream: string, answer: UpstreamAnswer): void {
    const bucket = Math.floor(this.clock() / this.bucketMs);
    this.add(this.key(upstream, bucket, answer), bucket, 1);
  }

  private add(key: string, bucket: number, count: number): void {
    const entry = this.unsent.get(key);
    if (entry) entry.count += count;
    else this.unsent.set(key, { bucket, count });
  }

  /**
   * Adds this instance's answers to the shared counters. What the store refuses is kept for the next
   * time, unless its bucket has left the window meanwhile (a long outage does not pile up counts).
   */
  private async send(now: number): Promise<void> {
    const batch = this.unsent;
    this.unsent = new Map();
    const ttl = this.deps.thresholds.window_seconds + this.bucketMs / 1000;
    const oldest = Math.floor(now / this.bucketMs) - BUCKETS + 1;
    await Promise.all(
      [...batch].map(([key, { bucket, count }]) =>
        this.deps.store.increment(key, ttl, count).catch((error: unknown) => {
          if (bucket >= oldest) this.add(key, bucket, count);
          throw error;
        }),
      ),
    );
  }

  /** The answers of the last window, counted over every instance. */
  async window(upstream: string, now = this.clock()): Promise<Record<UpstreamAnswer, number>> {
    const last = Math.floor(now / this.bucketMs);
    const buckets = Array.from({ length: BUCKETS }, (_, i) => last - i);
    const count = async (answer: UpstreamAnswer) => {
      const values = await Promise.all(buckets.map((b) => this.deps.store.get<number>(this.key(upstream, b, answer))));
      return values.reduce<number>((sum, v) => sum + (typeof v === 'number' ? v : 0), 0);
    };
    const [answered, technical] = await Promise.all([count('answered'), count('technical')]);
    return { answered, technical };
  }

  private isDegraded(counts: Record<UpstreamAnswer, number>): boolean {
    const total = counts.answered + counts.technical;
    const { min_answers, failure_share } = this.deps.thresholds;
    return total >= min_answers && counts.technical / total >= failure_share;
  }

  /** Sends this instance's answers, re-reads the window and the notices of every upstream; logs and counts each change. */
  async refresh(now = this.clock()): Promise<void> {
    const { log, metrics, store } = this.deps;
    await this.send(now);
    await Promise.all(
      this.deps.upstreams.map(async (upstream) => {
        const [counts, notice] = await Promise.all([this.window(upstream, now), readNotice(store, upstream, now)]);
        const next: UpstreamStatus = { degraded: this.isDegraded(counts), notice };
        const before = this.status(upstream);
        if (next.degraded !== before.degraded) {
          const fields = { event: 'upstream.state', upstream, state: next.degraded ? 'degraded' : 'recovered', ...counts };
          if (next.degraded) log.warn(fields, 'upstream degraded: the chooser marks it');
          else log.info(fields, 'upstream recovered: the chooser no longer marks it');
          metrics.upstreamStateChange(upstream, next.degraded);
        }
        if (next.notice?.text !== before.notice?.text || next.notice?.textEn !== before.notice?.textEn) {
          log.info({ event: 'upstream.notice', upstream, notice: next.notice ? 'set' : 'cleared' }, 'operator notice changed');
        }
        metrics.upstreamStatus(upstream, next.degraded, next.notice !== undefined);
        this.statuses.set(upstream, next);
      }),
    );
  }

  status(upstream: string): UpstreamStatus {
    return this.statuses.get(upstream) ?? HEALTHY;
  }

  /** Refreshes now and then every `refresh_seconds`; a store failure keeps the last known state. */
  start(): void {
    const tick = () =>
      this.refresh().then(
        () => (this.storeFailing = false),
        (error: unknown) => {
          if (!this.storeFailing) this.deps.log.warn({ event: 'upstream.state', err: error }, 'upstream health not refreshed: the ephemeral store failed');
          this.storeFailing = true;
        },
      );
    void tick();
    this.timer = setInterval(tick, this.deps.thresholds.refresh_seconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
