import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../helpers/browser.ts';
import { chooseMethod, identities, linkedAccount, openAuthorize, rpAuthorizeUrl, rpExchange, startHarness, upstreamLogin, type Harness } from '../helpers/harness.ts';
import { REDIS_URL, sharedStores, type SharedStores } from './scale-kit.ts';

// What a finished login leaves in Redis, which holds every key in memory until it expires.
let stores: SharedStores;
let h: Harness;
let redis: Redis;

beforeAll(async () => {
  stores = await sharedStores();
  h = await startHarness({ configure: (raw) => stores.apply(raw) });
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  redis?.disconnect();
  await h?.close();
  await stores?.drop();
});

/** Every key under the broker's prefix with its remaining lifetime in seconds. */
async function keys(): Promise<Map<string, number>> {
  const prefix = h.config.storage.redis_prefix;
  const found = await redis.keys(`${prefix}*`);
  return new Map(await Promise.all(found.map(async (key) => [key.slice(prefix.length), await redis.ttl(key)] as const)));
}

describe('the shared store after a login', () => {
  it('keeps no interaction, the flow only as a finished marker without the upstream login it waited for, the session for its single sign-on, and nothing longer than its purpose needs', async () => {
    const subject = identities.mitid[1]!.sub;
    await linkedAccount(h, 'mitid', subject);
    const browser = new Browser();
    const login = await rpAuthorizeUrl(h);
    const back = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'mitid'), subject);
    await rpExchange(h, login, back.url);

    const left = await keys();
    const names = [...left.keys()];
    expect(names.filter((k) => k.startsWith('oidc:Interaction:'))).toEqual([]);
    // The flow stays only as "done" with its base fields (the upstream login's state, nonce and PKCE
    // verifier are gone), so back and reload can say the login is finished.
    const flows = names.filter((k) => k.startsWith('flow:'));
    expect(flows).toHaveLength(1);
    const flow = (await h.portvagt.store.get<Record<string, unknown>>(flows[0]!))!;
    expect(flow.step).toBe('done');
    expect(Object.keys(flow).filter((k) => !['version', 'uid', 'clientId', 'tenant', 'action', 'uiLocales', 'browser', 'requested', 'step', 'stepExpiresAt'].includes(k))).toEqual([]);
    // Every key expires. The single sign-on session (the broker's, its index by account, and
    // oidc-provider's towards the systems) lives while it is used, 30 minutes idle, and never past its
    // 8 hours; nothing else is kept past an hour, the longest any step or error page is kept.
    const session = (k: string) => k.startsWith('session:') || k.startsWith('sessions-of:') || k.startsWith('oidc:Session:');
    expect(names.filter((k) => k.startsWith('session:')).map((k) => left.get(k)! <= 1800)).toEqual([true]);
    expect(names.filter(session).every((k) => left.get(k)! > 0 && left.get(k)! <= 8 * 3600)).toBe(true);
    expect(names.filter((k) => !session(k)).every((k) => left.get(k)! > 0 && left.get(k)! <= 3600)).toBe(true);
    // The finished flow is kept ten minutes for back and reload, not the hour an unfinished one has.
    expect(left.get(flows[0]!)).toBeLessThanOrEqual(600);
    // The grant backs only this login's code and access token (60 s + 600 s), not a day of sessions.
    const grants = names.filter((k) => k.startsWith('oidc:Grant:'));
    expect(grants).toHaveLength(1);
    expect(left.get(grants[0]!)).toBeLessThanOrEqual(660);
    expect(names.filter((k) => k.startsWith('oidc:AccessToken:'))).toHaveLength(1);
  });
});
