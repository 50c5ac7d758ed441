import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../helpers/browser.ts';
import { chooseMethod, openAuthorize, RP_REDIRECT, rpAuthorizeUrl, rpExchange, useHarness } from '../helpers/harness.ts';
import { expectRefused } from './helpers/attack.ts';
import { HOSTILE_SUBJECT, startHostileUpstream, type HostileUpstream, type TokenMode } from './helpers/hostile-upstream.ts';

let hostile: HostileUpstream;
beforeAll(async () => {
  hostile = await startHostileUpstream();
});
afterAll(() => hostile.close());

const h = useHarness({
  configure: (raw) => {
    (raw.upstreams as unknown[]).push({ id: 'hostile', display_name: 'Hostile', dialect: 'oidc', issuer: hostile.issuer, client_id: 'portvagt', client_secret: 'hostile-secret' });
    (raw.clients as { login_methods: string[] }[])[0]!.login_methods.push('hostile');
  },
});

let accountId: string;
beforeAll(async () => {
  const account = await h.portvagt.accounts.create({ tenant: 'acme', username: 'hostile.user', displayName: 'Hostile User' });
  await h.portvagt.accounts.link(account.id, { method: 'hostile', issuer: hostile.issuer, subject: HOSTILE_SUBJECT });
  accountId = account.id;
});

/** A whole login through the hostile upstream, whose token endpoint answers in `mode`. */
async function loginWith(mode: TokenMode) {
  hostile.mode = mode;
  const browser = new Browser();
  const login = await rpAuthorizeUrl(h);
  const exchangedBefore = hostile.exchanged;
  const page = await chooseMethod(browser, await openAuthorize(browser, login), 'hostile');
  expect(hostile.exchanged).toBe(exchangedBefore + 1);
  return { login, page };
}

describe('ID tokens from an upstream are checked before anyone is logged in', () => {
  it('an honest token from the same upstream logs the linked account in', async () => {
    const { login, page } = await loginWith('valid');
    expect(page.url.startsWith(RP_REDIRECT)).toBe(true);
    expect((await rpExchange(h, login, page.url)).claims()?.sub).toBe(accountId);
  });

  const attacks: [TokenMode, string][] = [
    ['bad-signature', 'signed with a key the upstream does not publish'],
    ['wrong-aud', 'issued to another client'],
    ['wrong-nonce', 'carrying another login’s nonce'],
    ['expired', 'expired an hour ago'],
    ['alg-none', 'unsigned (alg: none)'],
    ['wrong-iss', 'naming another issuer'],
    ['no-sub', 'without a subject'],
  ];
  for (const [mode, what] of attacks) {
    it(`an ID token ${what} is refused with 3005`, async () => {
      const { page } = await loginWith(mode);
      expectRefused(page, 3005);
    });
  }
});
