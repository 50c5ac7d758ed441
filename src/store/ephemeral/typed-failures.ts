import { StoreUnavailableError } from '../../errors/boundary-errors.ts';
import type { EphemeralStore } from './ephemeral-store.ts';

/**
 * An ephemeral store whose every failure reaches the caller as StoreUnavailableError. The store holds
 * no data a caller could get wrong (no constraints), so whatever its driver throws (Redis away, the
 * SQLite file locked or gone) means the store cannot serve.
 */
class TypedFailureStore implements EphemeralStore {
  private readonly store: EphemeralStore;

  constructor(store: EphemeralStore) {
    this.store = store;
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new StoreUnavailableError('ephemeral', error);
    }
  }

  get<T>(key: string): Promise<T | undefined> {
    return this.guard(() => this.store.get<T>(key));
  }

  set(key: string, value: unknown, ttlSeconds: number, indexIn?: string): Promise<void> {
    return this.guard(() => this.store.set(key, value, ttlSeconds, indexIn));
  }

  take<T>(key: string): Promise<T | undefined> {
    return this.guard(() => this.store.take<T>(key));
  }

  delete(key: string): Promise<void> {
    return this.guard(() => this.store.delete(key));
  }

  members(key: string): Promise<string[]> {
    return this.guard(() => this.store.members(key));
  }

  increment(key: string, ttlSeconds: number, by?: number): Promise<number> {
    return this.guard(() => this.store.increment(key, ttlSeconds, by));
  }

  ping(): Promise<void> {
    return this.guard(() => this.store.ping());
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

export function withTypedFailures(store: EphemeralStore): EphemeralStore {
  return new TypedFailureStore(store);
}
