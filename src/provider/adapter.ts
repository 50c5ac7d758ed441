import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { EphemeralStore } from '../store/ephemeral/ephemeral-store.ts';

/** A model's record in the ephemeral store. */
export interface Stored {
  payload: AdapterPayload;
  expiresAt: number;
}

/** The seconds a record has left (at least one: the stores' smallest lifetime). */
export const secondsLeft = (stored: Stored): number => Math.max(1, (stored.expiresAt - Date.now()) / 1000);

/** The record marked consumed now, as oidc-provider's replay detection reads it. */
export const consumedNow = (stored: Stored): Stored => ({ ...stored, payload: { ...stored.payload, consumed: Math.floor(Date.now() / 1000) } });

/** Deletes everything issued under a grant (its codes and tokens) and the grant's index. */
export async function revokeGrant(store: EphemeralStore, grantId: string): Promise<void> {
  const keys = await store.members(`oidc:grant:${grantId}`);
  await Promise.all(keys.map((key) => store.delete(key)));
  await store.delete(`oidc:grant:${grantId}`);
}

/** Decides whether consuming a record is left to the end of the request (the token exchange, see code-redemption.ts). */
export type DeferConsume = (model: string, key: string) => boolean;

/** oidc-provider's storage contract, one instance per model, on the shared ephemeral store. */
export function adapterFactory(store: EphemeralStore, deferConsume: DeferConsume = () => false) {
  return class EphemeralAdapter implements Adapter {
    private readonly model: string;

    constructor(model: string) {
      this.model = model;
    }

    private key(id: string): string {
      return `oidc:${this.model}:${id}`;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const ttl = Math.max(1, expiresIn);
      await store.set(this.key(id), { payload, expiresAt: Date.now() + ttl * 1000 } satisfies Stored, ttl, payload.grantId ? `oidc:grant:${payload.grantId}` : undefined);
      if (payload.uid) await store.set(`oidc:${this.model}:uid:${payload.uid}`, id, ttl);
      if (payload.userCode) await store.set(`oidc:${this.model}:userCode:${payload.userCode}`, id, ttl);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      return (await store.get<Stored>(this.key(id)))?.payload;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const id = await store.get<string>(`oidc:${this.model}:uid:${uid}`);
      return id ? this.find(id) : undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const id = await store.get<string>(`oidc:${this.model}:userCode:${userCode}`);
      return id ? this.find(id) : undefined;
    }

    async consume(id: string): Promise<void> {
      if (deferConsume(this.model, this.key(id))) return;
      const stored = await store.get<Stored>(this.key(id));
      if (!stored) return;
      await store.set(this.key(id), consumedNow(stored), secondsLeft(stored));
    }

    async destroy(id: string): Promise<void> {
      await store.delete(this.key(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await revokeGrant(store, grantId);
    }
  };
}
