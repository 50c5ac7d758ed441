import type { EphemeralStore } from './ephemeral/ephemeral-store.ts';

/** What a store operation does, as the benchmark counts it per login. */
export type StoreOperation = 'read' | 'write' | 'delete' | 'take' | 'query';

/**
 * Told of every store operation with its key or SQL before it runs (the benchmark counts them); what it
 * throws fails that operation (the fault tests). Absent in a normal start.
 */
export type StoreObserver = (operation: StoreOperation, target: string) => void;

const KINDS: Record<Exclude<keyof EphemeralStore, 'ping' | 'close'>, StoreOperation> = {
  get: 'read',
  members: 'read',
  set: 'write',
  increment: 'write',
  delete: 'delete',
  take: 'take',
};

/** The ephemeral store, telling `observe` of each operation (its key) before it runs; a throw rejects the operation. */
export function observedEphemeralStore(store: EphemeralStore, observe: StoreObserver): EphemeralStore {
  const seen = <A extends [string, ...unknown[]], R>(kind: StoreOperation, run: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      try {
        observe(kind, args[0]);
      } catch (error) {
        return Promise.reject(error as Error);
      }
      return run(...args);
    };
  return {
    get: seen(KINDS.get, (key) => store.get(key)),
    set: seen(KINDS.set, (key, value: unknown, ttl: number, indexIn?: string) => store.set(key, value, ttl, indexIn)),
    take: seen(KINDS.take, (key) => store.take(key)),
    delete: seen(KINDS.delete, (key) => store.delete(key)),
    members: seen(KINDS.members, (key) => store.members(key)),
    increment: seen(KINDS.increment, (key, ttl: number, by?: number) => store.increment(key, ttl, by)),
    ping: () => store.ping(),
    close: () => store.close(),
  } as EphemeralStore;
}
