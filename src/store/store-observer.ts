import type { EphemeralStore } from './ephemeral/ephemeral-store.ts';

/** What a store operation does, as the benchmark counts it per login. */
export type StoreOperation = 'read' | 'write' | 'delete' | 'take' | 'query';

/** Told of every store operation with its key or SQL (the benchmark counts them); absent in a normal start. */
export type StoreObserver = (operation: StoreOperation, target: string) => void;

const KINDS: Record<Exclude<keyof EphemeralStore, 'ping' | 'close'>, StoreOperation> = {
  get: 'read',
  members: 'read',
  set: 'write',
  addToSet: 'write',
  increment: 'write',
  delete: 'delete',
  take: 'take',
};

/** The ephemeral store, telling `observe` of each operation before it runs. */
export function observedEphemeralStore(store: EphemeralStore, observe: StoreObserver): EphemeralStore {
  const observed = { ...store, ping: () => store.ping(), close: () => store.close() } as EphemeralStore;
  for (const [method, kind] of Object.entries(KINDS) as [keyof typeof KINDS, StoreOperation][]) {
    const original = store[method].bind(store) as (...args: unknown[]) => Promise<unknown>;
    (observed as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      observe(kind, String(args[0]));
      return original(...args);
    };
  }
  return observed;
}
