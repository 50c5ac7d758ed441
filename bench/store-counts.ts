/**
 * Store operations counted inside the Portvagt process under benchmark: by kind (reads, writes,
 * deletes, takes, durable queries) and by what they touched (a key's record type, a query's table).
 */
import type { StoreObserver } from '../src/store/store-observer.ts';

export type StoreCounts = Record<string, number>;

/** `flow:abc` → `flow`; `oidc:Session:abc` → `oidc:Session`. */
function keyLabel(key: string): string {
  const first = key.indexOf(':');
  if (first < 0) return key;
  if (!key.startsWith('oidc:')) return key.slice(0, first);
  const second = key.indexOf(':', first + 1);
  return second < 0 ? key : key.slice(0, second);
}

/** SQL → its verb and first table: `select accounts`, `insert audit_events`. */
function queryLabel(sql: string): string {
  const verb = sql.trimStart().split(/\s+/, 1)[0]!.toLowerCase();
  return `${verb} ${/\b(?:from|into|update)\s+"?(\w+)"?/i.exec(sql)?.[1] ?? '?'}`;
}

/**
 * A counter the Portvagt process feeds and the IPC channel reads. It runs inside the measured process,
 * so it is kept cheap: a key's label by two indexOf, a query's label computed once per SQL text.
 */
export function storeCounter(): { observe: StoreObserver; counts: () => StoreCounts } {
  const counts: StoreCounts = {};
  const queryLabels = new Map<string, string>();
  const bump = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  return {
    observe(operation, target) {
      bump(operation);
      if (operation !== 'query') return void bump(`${operation} ${keyLabel(target)}`);
      let label = queryLabels.get(target);
      if (!label) queryLabels.set(target, (label = `query ${queryLabel(target)}`));
      bump(label);
    },
    counts: () => ({ ...counts }),
  };
}

/** Per operation (login): the difference of two snapshots over `count` operations. */
export function countsPerOperation(before: StoreCounts, after: StoreCounts, count: number): StoreCounts {
  const result: StoreCounts = {};
  for (const [key, value] of Object.entries(after)) {
    const perOperation = Math.round(((value - (before[key] ?? 0)) / Math.max(1, count)) * 100) / 100;
    if (perOperation > 0) result[key] = perOperation;
  }
  return result;
}
