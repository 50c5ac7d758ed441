import session from 'express-session';
import type { EphemeralStore } from './ephemeral/ephemeral-store.ts';

type Callback = (error?: unknown, value?: session.SessionData | null) => void;

/** express-session on top of the ephemeral store, so every instance sees every browser session. */
export class EphemeralSessionStore extends session.Store {
  private readonly store: EphemeralStore;
  private readonly defaultTtlSeconds: number;

  constructor(store: EphemeralStore, defaultTtlSeconds: number) {
    super();
    this.store = store;
    this.defaultTtlSeconds = defaultTtlSeconds;
  }

  private ttl(data: session.SessionData): number {
    const expires = data.cookie?.expires ? new Date(data.cookie.expires).getTime() : undefined;
    return expires ? Math.max(1, Math.ceil((expires - Date.now()) / 1000)) : this.defaultTtlSeconds;
  }

  override get(sid: string, callback: Callback): void {
    this.store.get<session.SessionData>(`sess:${sid}`).then((data) => callback(null, data ?? null), callback);
  }

  override set(sid: string, data: session.SessionData, callback?: (error?: unknown) => void): void {
    this.store.set(`sess:${sid}`, data, this.ttl(data)).then(() => callback?.(), (error) => callback?.(error));
  }

  override destroy(sid: string, callback?: (error?: unknown) => void): void {
    this.store.delete(`sess:${sid}`).then(() => callback?.(), (error) => callback?.(error));
  }

  /**
   * Deliberately no write. The cookie is not rolling: the browser keeps it only until the expiry sent
   * with the last change, and every change is a `set` with that same expiry. Extending the stored copy
   * on each request would outlive the cookie and cost a store write per page.
   */
  override touch(_sid: string, _data: session.SessionData, callback?: () => void): void {
    callback?.();
  }
}
