/**
 * Store operations counted inside the Portvagt process under benchmark: by kind (reads, writes,
 * deletes, takes, durable queries) and by what they touched (a key's record type, a query's table).
 */
import type { StoreOperation, StoreObserver } from '../src/store/store-observer.ts';

export type StoreCounts = Record<string, number>;

/** `flow:abc` → `flow`; `oidc:Session:abc` → `oidc:Session`; SQL → its verb and first table. */
export function targetLabel(operation: StoreOperation, target: string): string {
  if (operation === 'query') {
    const verb = target.trim().split(/\s+/)[0]!.toLowerCase();
    const table = /\b(?:from|into|update)\s+"?(\w+)"?/i.exec(target)?.[1] ?? '?';
    return `${verb} ${table}`;
  }
  const parts = target.split(':');
  return parts[0] === 'oidc' ? `${parts[0]}:${parts[1]}` : parts[0]!;
}

/** A counter the Portvagt process feeds and the IPC channel reads. */
export function storeCounter(): { observe: StoreObserver; counts: () => StoreCounts } {
  const counts: StoreCounts = {};
  return {
    observe(operation, target) {
      counts[operation] = (counts[operation] ?? 0) + 1;
      const key = `${operation} ${targetLabel(operation, target)}`;
      counts[key] = (counts[key] ?? 0) + 1;
    },
    counts: () => ({ ...counts }),
  };
}

/** Per operation (login): the difference of two snapshots over `count` operations. */
export function countsPerOperation(before: StoreCounts, after: StoreCounts, count: number): StoreCounts {
  const result: StoreCounts = {};
  for (const [key, value] of Object.entries(after)) {
    const delta = value - (before[key] ?? 0);
    if (delta > 0) result[key] = Math.round((delta / Math.max(1, count)) * 100) / 100;
  }
  return result;
}
