import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/errors/boundary-errors.ts';
import type { StoreObserver } from '../../src/store/store-observer.ts';
import { Browser } from '../helpers/browser.ts';
import { chooseMethod, identities, linkedAccount, openAuthorize, RP_REDIRECT, RP_SECRET, rpAuthorizeUrl, upstreamLogin, useHarness, type RpLogin } from '../helpers/harness.ts';

/**
 * The store operations of token exchanges, counted while `watching`: the codes, grants and tokens the
 * provider keeps, and the account query. Background work (health, keys, readiness) is not counted.
 */
const exchangeStep = (operation: string, target: string) => (operation === 'query' ? /"accounts"/.test(target) : target.startsWith('oidc:'));
let watching = false;
let steps: string[] = [];
let failAt: number | undefined;
const observe: StoreObserver = (operation, target) => {
  if (!watching || !exchangeStep(operation, target)) return;
  const step = steps.push(`${operation} ${operation === 'query' ? 'accounts' : target.split(':').slice(0, 2).join(':')}`) - 1;
  if (step === failAt) throw new StoreUnavailableError(operation === 'query' ? 'durable' : 'ephemeral', new Error('connection terminated (injected)'));
};

const h = useHarness({ observeStores: observe });
const subject = identities.nemid[1]!.sub;

/** A login through to the RP's callback: what the RP holds when it redeems the code. */
async function loggedIn(): Promise<{ login: RpLogin; code: string }> {
  const browser = new Browser();
  const login = await rpAuthorizeUrl(h);
  const back = await upstreamLogin(browser, await chooseMethod(browser, await openAuthorize(browser, login), 'nemid'), subject);
  return { login, code: new URL(back.url).searchParams.get('code')! };
}

interface Answer {
  status: number;
  body: { error?: string; id_token?: string; access_token?: string };
}

/** The RP's back end redeems the code, as the token endpoint's spec has it. */
async function exchange({ login, code }: { login: RpLogin; code: string }): Promise<Answer> {
  const response = await fetch(`${h.base}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`test-rp:${RP_SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: RP_REDIRECT, code_verifier: login.verifier }),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

/** An exchange with the store operations it makes counted, and the one at `failing` made to fail. */
async function watched(redeem: () => Promise<Answer>, failing?: number): Promise<Answer> {
  [watching, steps, failAt] = [true, [], failing];
  try {
    return await redeem();
  } finally {
    [watching, failAt] = [false, undefined];
  }
}

describe('a store failure during the token exchange', () => {
  it('leaves the code redeemable whichever store step fails: the answer is the tokens, or a 503 whose retry gets them', async () => {
    const account = await linkedAccount(h, 'nemid', subject);
    const held = await loggedIn();
    expect((await watched(() => exchange(held))).status).toBe(200);
    const exchangeSteps = steps;
    // The code, its grant, the account, the access token: every kind of step the exchange has.
    expect(exchangeSteps).toEqual(expect.arrayContaining(['read oidc:AuthorizationCode', 'read oidc:Grant', 'query accounts', 'write oidc:AccessToken']));

    const outcomes: string[] = [];
    for (const [i, step] of exchangeSteps.entries()) {
      const held = await loggedIn();
      const first = await watched(() => exchange(held), i);
      expect(steps[i], 'the same steps in the same order').toBe(step);
      const answer = first.status === 200 ? first : await exchange(held);
      outcomes.push(`${step}: ${first.status} ${first.body.error ?? ''} → ${answer.status} ${answer.body.error ?? ''}`.trim());
      if (first.status !== 200) expect(first).toMatchObject({ status: 503, body: { error: 'temporarily_unavailable' } });
      expect(answer.status, outcomes.join('\n')).toBe(200);
      expect(decodeJwt(answer.body.id_token!).sub).toBe(account.id);
    }
  });
});

describe('a code redeemed twice', () => {
  it('at the same time: exactly one exchange gets tokens', async () => {
    await linkedAccount(h, 'nemid', subject).catch(() => undefined);
    const held = await loggedIn();
    const answers = await Promise.all([exchange(held), exchange(held), exchange(held)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400, 400]);
    expect(answers.filter((a) => a.status === 400).every((a) => a.body.error === 'invalid_grant')).toBe(true);
  });

  it('after it was redeemed: refused, and the access token it gave is revoked', async () => {
    const held = await loggedIn();
    const first = await exchange(held);
    expect(first.status).toBe(200);
    const userinfo = () => fetch(`${h.base}/me`, { headers: { authorization: `Bearer ${first.body.access_token}` } });
    expect((await userinfo()).status).toBe(200);
    expect(await exchange(held)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await userinfo()).status).toBe(401);
  });
});
