import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { EphemeralStore } from '../store/ephemeral/ephemeral-store.ts';

interface Stored {
  payload: AdapterPayload;
  expiresAt: number;
}

/** oidc-provider's storage contract, one instance per model, on the shared ephemeral store. */
export function adapterFactory(store: EphemeralStore) {
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
      const stored = await store.get<Stored>(this.key(id));
      if (!stored) return;
      stored.payload.consumed = Math.floor(Date.now() / 1000);
      await store.set(this.key(id), stored, Math.max(1, (stored.expiresAt - Date.now()) / 1000));
    }

    async destroy(id: string): Promise<void> {
      await store.delete(this.key(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      const keys = await store.members(`oidc:grant:${grantId}`);
      await Promise.all(keys.map((key) => store.delete(key)));
      await store.delete(`oidc:grant:${grantId}`);
    }
  };
}
