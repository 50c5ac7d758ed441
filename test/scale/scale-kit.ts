import { Browser } from '../helpers/browser.ts';
import { chooseMethod, dropIsolatedDatabase, identities, isolatedDatabaseUrl, linkedAccount, openAuthorize, rpAuthorizeUrl, rpExchange, upstreamLogin, type Harness } from '../helpers/harness.ts';

/**
 * The scale tests always run on PostgreSQL and Redis: the suite's own when DATABASE_URL and
 * REDIS_URL are set, otherwise the servers every development and CI machine of Portvagt has.
 */
export const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface SharedStores {
  /** Points a harness configuration at PostgreSQL (a database of its own) and Redis, optionally through proxies. */
  apply(raw: Record<string, unknown>, through?: { database?: (url: string) => string; redis?: (url: string) => string }): void;
  /** Drops the database once every broker using it has closed. */
  drop(): Promise<void>;
}

export async function sharedStores(): Promise<SharedStores> {
  // With DATABASE_URL set the harness has made a database already; otherwise make one here.
  const own = process.env.DATABASE_URL ? undefined : await isolatedDatabaseUrl(POSTGRES_URL);
  let databaseUrl: string | undefined;
  return {
    apply(raw, through = {}) {
      const storage = raw.storage as Record<string, unknown>;
      databaseUrl = (storage.database_url as string | undefined) ?? own;
      if (!databaseUrl) throw new Error('no PostgreSQL database for the scale tests');
      storage.database_url = through.database?.(databaseUrl) ?? databaseUrl;
      storage.redis_url = through.redis?.(REDIS_URL) ?? REDIS_URL;
    },
    drop: () => dropIsolatedDatabase(databaseUrl ?? own, POSTGRES_URL),
  };
}

/** Whether a whole login (a NemID identity, its account made if missing) goes through to its ID token: the broker works again. */
export async function loginThrough(h: Harness): Promise<boolean> {
  const subject = identities.nemid[1]!.sub;
  const account = (await h.portvagt.accounts.findByIdentity(h.issuerOf('nemid'), subject)) ?? (await linkedAccount(h, 'nemid', subject));
  const browser = new Browser();
  const login = await rpAuthorizeUrl(h);
  const back = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'nemid'), subject);
  return back.stopped && (await rpExchange(h, login, back.url)).claims()!.sub === account.id;
}
