import { AsyncLocalStorage } from 'node:async_hooks';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from '../logger.ts';
import { answerOutage } from '../ops/store-outage.ts';
import type { EphemeralStore } from '../store/ephemeral/ephemeral-store.ts';
import { consumedNow, revokeGrant, secondsLeft, type DeferConsume, type Stored } from './adapter.ts';

/** oidc-provider's token endpoint (its default route, which Portvagt keeps). */
const TOKEN_PATH = '/token';

/** A token request in progress: the code it spends once its answer is ready. */
interface Exchange {
  code?: string;
}

export interface CodeRedemption {
  /** For the adapter: inside a token request a code's consumption waits for the answer. */
  deferConsume: DeferConsume;
  /** For `provider.use`: runs the token request, then spends its code if it succeeded. */
  middleware: (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>;
}

function refuse(ctx: KoaContextWithOIDC, description: string): void {
  ctx.status = 400;
  ctx.body = { error: 'invalid_grant', error_description: description };
}

/**
 * oidc-provider marks an authorization code consumed in the middle of the exchange, before it reads
 * the account and stores the access token: a store failure after that answered 503, and the retry
 * that invites found the code spent. Here the code is spent only once the exchange has its answer,
 * so a failure at any earlier step leaves it redeemable.
 *
 * Spending takes the code out of the store, one atomic step (of two exchanges of one code at once
 * only one gets it), and puts it back marked consumed for oidc-provider's replay detection.
 */
export function codeRedemption(store: EphemeralStore, log: Logger): CodeRedemption {
  const exchanges = new AsyncLocalStorage<Exchange>();

  async function spend(ctx: KoaContextWithOIDC, key: string): Promise<void> {
    let taken: Stored | undefined;
    try {
      taken = await store.take<Stored>(key);
    } catch (error) {
      // The take may or may not have happened: only a code still there unspent may be retried.
      const still = await store.get<Stored>(key).catch(() => undefined);
      if (still && !still.payload.consumed) return answerOutage(ctx, log, error);
      log.error({ err: error, path: ctx.path }, 'an authorization code may be spent by an exchange that failed');
      return refuse(ctx, 'the authorization code could not be redeemed; start a new authorization');
    }
    if (!taken || taken.payload.consumed) {
      // Used twice (at once, or again later): refused, and, as oidc-provider does for a replay, what was issued under its grant revoked.
      const grantId = ctx.oidc.entities.AuthorizationCode?.grantId;
      if (grantId) await revokeGrant(store, grantId).catch((error: unknown) => log.warn({ err: error }, 'a reused authorization code: its grant could not be revoked'));
      return refuse(ctx, 'authorization code already consumed');
    }
    // Spent once taken: the answer goes out even if the mark fails (a replay then finds no code and is refused all the same).
    await store.set(key, consumedNow(taken), secondsLeft(taken)).catch((error: unknown) => log.warn({ err: error }, 'a spent authorization code could not be marked consumed'));
  }

  return {
    deferConsume(model, key) {
      const exchange = exchanges.getStore();
      if (model !== 'AuthorizationCode' || !exchange) return false;
      exchange.code = key;
      return true;
    },
    async middleware(ctx, next) {
      if (ctx.method !== 'POST' || ctx.path !== TOKEN_PATH) return next();
      const exchange: Exchange = {};
      await exchanges.run(exchange, next);
      if (exchange.code && ctx.status === 200) await spend(ctx, exchange.code);
    },
  };
}
