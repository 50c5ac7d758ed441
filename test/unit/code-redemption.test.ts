import type { KoaContextWithOIDC } from 'oidc-provider';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/errors/boundary-errors.ts';
import { adapterFactory } from '../../src/provider/adapter.ts';
import { codeRedemption } from '../../src/provider/code-redemption.ts';
import { MemoryStore } from '../../src/store/ephemeral/memory.ts';

/** A token request as the provider's middleware sees it; `exchange` stands for oidc-provider's handler. */
function tokenRequest() {
  const headers: Record<string, string> = {};
  return {
    method: 'POST',
    path: '/token',
    status: 404,
    body: undefined as unknown,
    headers,
    set: (more: Record<string, string>) => Object.assign(headers, more),
    oidc: { entities: { AuthorizationCode: { grantId: 'g1' } } },
  };
}

/** A store whose take of the code does its work and then loses the answer, like a connection dropped after Redis ran the command. */
class AnswerLostStore extends MemoryStore {
  failTake: 'after' | 'before' | undefined;

  override async take<T>(key: string): Promise<T | undefined> {
    if (this.failTake === 'before') throw new StoreUnavailableError('ephemeral', new Error('connection reset'));
    const value = await super.take<T>(key);
    if (this.failTake === 'after') throw new StoreUnavailableError('ephemeral', new Error('connection reset'));
    return value;
  }
}

async function redeem(store: AnswerLostStore) {
  const redemption = codeRedemption(store, pino({ level: 'silent' }));
  const Adapter = adapterFactory(store, redemption.deferConsume);
  const codes = new Adapter('AuthorizationCode');
  const ctx = tokenRequest();
  await redemption.middleware(ctx as unknown as KoaContextWithOIDC, async () => {
    await codes.consume('c1');
    ctx.status = 200;
    ctx.body = { access_token: 'at' };
  });
  return { ctx, code: await codes.find('c1') };
}

async function storeWithCode(): Promise<AnswerLostStore> {
  const store = new AnswerLostStore();
  await new (adapterFactory(store))('AuthorizationCode').upsert('c1', { grantId: 'g1' }, 60);
  return store;
}

describe('spending a code at the end of the exchange', () => {
  it('answers with the tokens and leaves the code marked consumed', async () => {
    const { ctx, code } = await redeem(await storeWithCode());
    expect(ctx.status).toBe(200);
    expect(code?.consumed).toBeGreaterThan(0);
  });

  it('answers 503 when the store failed before the code was spent, and the code stays redeemable', async () => {
    const store = await storeWithCode();
    store.failTake = 'before';
    const { ctx, code } = await redeem(store);
    expect(ctx).toMatchObject({ status: 503, body: { error: 'temporarily_unavailable' }, headers: { 'retry-after': '5' } });
    expect(code).toMatchObject({ grantId: 'g1' });
    expect(code?.consumed).toBeUndefined();
  });

  it('does not invite a retry when the store lost its answer after the code was spent', async () => {
    const store = await storeWithCode();
    store.failTake = 'after';
    const { ctx } = await redeem(store);
    expect(ctx).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});
