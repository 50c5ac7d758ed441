import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Metrics } from '../../src/ops/metrics.ts';
import { UpstreamHealth } from '../../src/ops/upstream-health.ts';
import { MemoryStore } from '../../src/store/ephemeral/memory.ts';

const thresholds = { window_seconds: 300, min_answers: 4, failure_share: 0.5, refresh_seconds: 10 };
const config = { clients: new Map(), methods: new Map([['mitid', {}], ['nemid', {}]]) } as never;

/** Two instances sharing one ephemeral store, on a clock the test moves. */
function twoInstances() {
  const store = new MemoryStore();
  let now = Date.UTC(2026, 11, 2, 8, 0, 0);
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  const make = () => new UpstreamHealth({ store, upstreams: ['mitid', 'nemid'], thresholds, log, metrics: new Metrics(config), clock: () => now });
  return { a: make(), b: make(), store, lines, advance: (ms: number) => (now += ms), now: () => now };
}

describe('the rolling window of upstream answers', () => {
  it('is shared: failures seen by one instance mark the method on the other once it has sent them (at its refresh)', async () => {
    const { a, b } = twoInstances();
    for (let i = 0; i < 3; i++) a.record('mitid', 'technical');
    a.record('mitid', 'answered');
    await b.refresh();
    expect(b.status('mitid').degraded).toBe(false);
    await a.refresh();
    await b.refresh();
    expect(b.status('mitid').degraded).toBe(true);
    expect(b.status('nemid').degraded).toBe(false);
  });

  it('needs enough answers and a large enough share of technical failures', async () => {
    const { a } = twoInstances();
    for (let i = 0; i < 3; i++) a.record('mitid', 'technical');
    await a.refresh();
    expect(a.status('mitid').degraded).toBe(false); // 3 answers < min_answers 4
    for (let i = 0; i < 4; i++) a.record('mitid', 'answered');
    await a.refresh();
    expect(a.status('mitid').degraded).toBe(false); // 3 of 7 < 50 %
    a.record('mitid', 'technical');
    await a.refresh();
    expect(a.status('mitid').degraded).toBe(true); // 4 of 8
  });

  it('rolls: answers older than the window stop counting, and the method recovers by itself with one log line', async () => {
    const { a, lines, advance } = twoInstances();
    for (let i = 0; i < 4; i++) a.record('mitid', 'technical');
    await a.refresh();
    advance(200_000);
    await a.refresh();
    expect(a.status('mitid').degraded).toBe(true);
    advance(120_000);
    await a.refresh();
    await a.refresh();
    expect(a.status('mitid').degraded).toBe(false);
    expect(lines.filter((l) => l.includes('"state":"degraded"'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('"state":"recovered"'))).toHaveLength(1);
  });

  it('keeps answers the store refused for the next refresh', async () => {
    const { a, b, store } = twoInstances();
    for (let i = 0; i < 4; i++) a.record('mitid', 'technical');
    const increment = store.increment.bind(store);
    store.increment = () => Promise.reject(Object.assign(new Error('down'), { code: 'ECONNREFUSED' }));
    await expect(a.refresh()).rejects.toThrow('down');
    store.increment = increment;
    await a.refresh();
    await b.refresh();
    expect(b.status('mitid').degraded).toBe(true);
    expect(await b.window('mitid')).toEqual({ answered: 0, technical: 4 });
  });

  it('keeps the last known state when the store fails, and says so once in the log', async () => {
    const { a, store, lines } = twoInstances();
    for (let i = 0; i < 4; i++) a.record('mitid', 'technical');
    await a.refresh();
    store.get = () => Promise.reject(Object.assign(new Error('down'), { code: 'ECONNREFUSED' }));
    await expect(a.refresh()).rejects.toThrow('down');
    expect(a.status('mitid').degraded).toBe(true);
    a.start();
    a.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.filter((l) => l.includes('upstream health not refreshed'))).toHaveLength(1);
  });
});
