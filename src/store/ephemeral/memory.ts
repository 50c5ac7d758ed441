import { systemClock, type Clock } from '../../clock.ts';
import type { EphemeralStore } from './ephemeral-store.ts';

interface Entry {
  value: string;
  expiresAt: number;
}

/** In-process store: tests and single-process runs that may lose state on restart. */
export class MemoryStore implements EphemeralStore {
  private readonly entries = new Map<string, Entry>();

  private readonly clock: Clock;

  constructor(clock: Clock = systemClock) {
    this.clock = clock;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.clock()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.live(key);
    return entry ? (JSON.parse(entry.value) as T) : undefined;
  }

  async set(key: string, value: unknown, ttlSeconds: number, indexIn?: string): Promise<void> {
    const expiresAt = this.clock() + ttlSeconds * 1000;
    this.entries.set(key, { value: JSON.stringify(value), expiresAt });
    if (!indexIn) return;
    const set = this.live(indexIn);
    const members = new Set<string>(set ? (JSON.parse(set.value) as string[]) : []).add(key);
    this.entries.set(indexIn, { value: JSON.stringify([...members]), expiresAt: Math.max(set?.expiresAt ?? 0, expiresAt) });
  }

  async take<T>(key: string): Promise<T | undefined> {
    // Read and delete with no await between them: two takers cannot both see the value.
    const entry = this.live(key);
    this.entries.delete(key);
    return entry ? (JSON.parse(entry.value) as T) : undefined;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async members(key: string): Promise<string[]> {
    return (await this.get<string[]>(key)) ?? [];
  }

  async increment(key: string, ttlSeconds: number, by = 1): Promise<number> {
    const entry = this.live(key);
    const count = (entry ? Number(entry.value) : 0) + by;
    this.entries.set(key, { value: String(count), expiresAt: entry?.expiresAt ?? this.clock() + ttlSeconds * 1000 });
    return count;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.entries.clear();
  }
}
