import { describe, expect, it } from 'vitest';
import { Browser, type Page } from '../helpers/browser.ts';
import { identities, RP_REDIRECT, useHarness } from '../helpers/harness.ts';
import { afterUpstreamLogin, expectRefused, submitForm } from './helpers/attack.ts';

// The tests of this file run in order and share the rate-limit counters of 127.0.0.1: the IP limit comes last.
const h = useHarness();

async function invited(username: string) {
  const account = await h.portvagt.accounts.create({ tenant: 'acme', username, displayName: username });
  const { password } = await h.portvagt.invitations.issue(account.id);
  return { account, password };
}

/** A first-time login form after an upstream login with an identity nobody has linked. */
async function firstLoginForm(subject: string) {
  const browser = new Browser();
  const { page } = await afterUpstreamLogin(h, browser, 'first-login', 'nemid', subject);
  expect(page.url).toMatch(/\/first-login$/);
  return { browser, form: page };
}

const attempt = (browser: Browser, form: Page, username: string, password: string) => submitForm(browser, form, '/first-login', { username, password });

const stateOf = async (accountId: string) => (await h.portvagt.invitations.list(accountId)).map((i) => [i.status, i.attempts]);
const lastRefusalReason = () => h.logLines.map((l) => JSON.parse(l) as { msg: string; reason?: string }).filter((l) => l.msg === 'first-time login refused').at(-1)?.reason;

describe('brute force of invitations', () => {
  it('the right password links once; the used invitation does not open for another identity', async () => {
    const { account, password } = await invited('bf.control');
    const first = await firstLoginForm(identities.nemid[0]!.sub);
    expect((await attempt(first.browser, first.form, 'bf.control', password)).url.startsWith(RP_REDIRECT)).toBe(true);
    const second = await firstLoginForm(identities.nemid[1]!.sub);
    expectRefused(await attempt(second.browser, second.form, 'bf.control', password), 5007);
    expect(await stateOf(account.id)).toEqual([['used', 1]]);
    expect((await h.portvagt.accounts.links(account.id)).map((l) => l.subject)).toEqual([identities.nemid[0]!.sub]);
  });

  it('the attempt limit voids the invitation: afterwards even the right password fails', async () => {
    const { account, password } = await invited('bf.limit');
    const { browser, form } = await firstLoginForm(identities.nemid[2]!.sub);
    for (let i = 0; i < h.config.invitations.max_attempts; i++) expectRefused(await attempt(browser, form, 'bf.limit', `wrong-${i}`), 5007);
    expect(await stateOf(account.id)).toEqual([['void', h.config.invitations.max_attempts]]);
    expectRefused(await attempt(browser, form, 'bf.limit', password), 5007);
    expect(await stateOf(account.id)).toEqual([['void', h.config.invitations.max_attempts]]);
    expect(await h.portvagt.accounts.links(account.id)).toEqual([]);
  });

  it('an unknown user gets the same answer as a known user with a wrong password', async () => {
    await invited('bf.known');
    const { browser, form } = await firstLoginForm(identities.nemid[2]!.sub);
    const known = await attempt(browser, form, 'bf.known', 'wrong-password');
    const unknown = await attempt(browser, form, 'bf.nobody', 'wrong-password');
    expect(unknown.status).toBe(known.status);
    expect(unknown.body.replaceAll('bf.nobody', 'USER')).toBe(known.body.replaceAll('bf.known', 'USER'));
  });

  it('the per-username rate limit refuses even the right password, without touching the invitation', async () => {
    const { account, password } = await invited('bf.rate');
    const { browser, form } = await firstLoginForm(identities.nemid[2]!.sub);
    // Spellings of the name that find no account still count for it, so the invitation's own counter stays 0.
    for (let i = 0; i < 10; i++) expectRefused(await attempt(browser, form, i % 2 ? 'BF.RATE' : 'Bf.Rate', 'guess'), 5007);
    expectRefused(await attempt(browser, form, 'bf.rate', password), 5007);
    expect(lastRefusalReason()).toBe('rate limit');
    expect(await stateOf(account.id)).toEqual([['open', 0]]);
    expect(await h.portvagt.accounts.links(account.id)).toEqual([]);
  });

  it('the per-address rate limit refuses even the right password, without touching the invitation', async () => {
    const { account, password } = await invited('bf.address');
    const { browser, form } = await firstLoginForm(identities.nemid[2]!.sub);
    for (let i = 0; i < 31; i++) expectRefused(await attempt(browser, form, `bf.spray-${i}`, 'guess'), 5007);
    expectRefused(await attempt(browser, form, 'bf.address', password), 5007);
    expect(lastRefusalReason()).toBe('rate limit');
    expect(await stateOf(account.id)).toEqual([['open', 0]]);
    expect(await h.portvagt.accounts.links(account.id)).toEqual([]);
  });
});
