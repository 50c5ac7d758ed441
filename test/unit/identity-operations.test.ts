import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRepository } from '../../src/accounts/accounts.ts';
import { compareCpr, cprFingerprint } from '../../src/accounts/cpr.ts';
import { accountForIdentity, assertIdentityUnlinked, assertMethodUnlinked, linkMethod, redeemInvitationAndLink } from '../../src/accounts/identity-operations.ts';
import { InvitationRepository } from '../../src/accounts/invitations.ts';
import type { BrokerError } from '../../src/errors/broker-error.ts';
import { migrate, openDurableStore, type DurableStore } from '../../src/store/durable/database.ts';

let durable: DurableStore;
let accounts: AccountRepository;
let invitations: InvitationRepository;

beforeAll(async () => {
  durable = openDurableStore({ dataDir: mkdtempSync(join(tmpdir(), 'portvagt-ops-')) });
  await migrate(durable);
  accounts = new AccountRepository(durable.db);
  invitations = new InvitationRepository(durable.db, { validityDays: 14, maxAttempts: 5 });
});
afterAll(() => durable.close());

const identity = (subject: string, method = 'mitid') => ({ method, issuer: `https://${method}.example`, subject });
const newAccount = (tenant = 'acme') => accounts.create({ tenant, username: `u-${Math.random().toString(36).slice(2, 9)}`, displayName: 'Test' });
const codeOf = (promise: Promise<unknown>) => promise.then(
  () => undefined,
  (error: BrokerError) => error.code,
);

describe('logging in with an upstream identity', () => {
  it("finds the identity's account in the tenant, and answers 6001 for no link, another tenant or a disabled account", async () => {
    const account = await newAccount();
    await accounts.link(account.id, identity('login-1'));
    expect((await accountForIdentity(accounts, 'acme', identity('login-1'))).id).toBe(account.id);
    expect(await codeOf(accountForIdentity(accounts, 'acme', identity('nobody')))).toBe(6001);
    expect(await codeOf(accountForIdentity(accounts, 'beta', identity('login-1')))).toBe(6001);
    await accounts.setStatus(account.id, 'disabled');
    expect(await codeOf(accountForIdentity(accounts, 'acme', identity('login-1')))).toBe(6001);
  });
});

describe('first-time login: redeeming an invitation and linking', () => {
  it('links the identity and uses the invitation up, once', async () => {
    const account = await newAccount();
    const { password } = await invitations.issue(account.id);
    const input = { tenant: 'acme', username: account.username, password, identity: identity('first-1') };
    expect(await redeemInvitationAndLink({ accounts, invitations }, input)).toEqual({ ok: true, accountId: account.id });
    expect((await accounts.links(account.id)).map((l) => l.subject)).toEqual(['first-1']);
    expect(await redeemInvitationAndLink({ accounts, invitations }, { ...input, identity: identity('first-2', 'nemid') })).toEqual({ ok: false, reason: 'used' });
    expect(await codeOf(assertIdentityUnlinked(accounts, identity('first-1')))).toBe(6002);
  });

  it('refuses a wrong password or unknown user as a result, not an exception, and links nothing', async () => {
    const account = await newAccount();
    await invitations.issue(account.id);
    expect(await redeemInvitationAndLink({ accounts, invitations }, { tenant: 'acme', username: account.username, password: 'wrong', identity: identity('first-3') })).toEqual({ ok: false, reason: 'wrong' });
    expect(await redeemInvitationAndLink({ accounts, invitations }, { tenant: 'acme', username: 'no.such.user', password: 'x', identity: identity('first-3') })).toEqual({ ok: false, reason: 'unknown' });
    expect(await accounts.links(account.id)).toEqual([]);
  });

  it('answers 6002 when the account already has the method, and leaves the invitation open', async () => {
    const account = await newAccount();
    await accounts.link(account.id, identity('first-4'));
    const { password } = await invitations.issue(account.id);
    expect(await codeOf(redeemInvitationAndLink({ accounts, invitations }, { tenant: 'acme', username: account.username, password, identity: identity('first-5') }))).toBe(6002);
    expect((await invitations.list(account.id)).map((i) => i.status)).toEqual(['open']);
  });
});

describe('linking a method', () => {
  it('adds a method once; a taken identity or a method already there is 6002', async () => {
    const owner = await newAccount();
    await accounts.link(owner.id, identity('link-owner', 'nemid'));
    const account = await newAccount();
    await linkMethod(accounts, account.id, identity('link-1', 'nemid'));
    expect(await codeOf(assertMethodUnlinked(accounts, account.id, 'nemid'))).toBe(6002);
    expect(await codeOf(linkMethod(accounts, account.id, identity('link-2', 'nemid')))).toBe(6002);
    const other = await newAccount();
    expect(await codeOf(linkMethod(accounts, other.id, identity('link-owner', 'nemid')))).toBe(6002);
    expect((await accounts.links(owner.id)).map((l) => l.subject)).toEqual(['link-owner']);
  });
});

describe('comparing a CPR number', () => {
  const previous = { cpr_hmac_key: 'previous-cpr-key-0123456789-0123456789', cpr_hmac_previous_keys: [] };
  const secrets = { cpr_hmac_key: 'test-cpr-key-0123456789-0123456789', cpr_hmac_previous_keys: [previous.cpr_hmac_key] };
  const reference = cprFingerprint(secrets, '1204851234');

  it('matches the same number however it is typed, and hands back only a fingerprint to keep', () => {
    expect(compareCpr(secrets, '120485-1234', reference, null)).toEqual({ result: 'match', store: reference });
    expect(compareCpr(secrets, ' 1204851234 ', reference, reference)).toEqual({ result: 'match', store: undefined });
  });

  it("re-makes a stored fingerprint of the previous CPR key with the current one", () => {
    const old = cprFingerprint(previous, '1204851234');
    expect(compareCpr(secrets, '1204851234', old, old)).toEqual({ result: 'match', store: reference });
  });

  it('tells a mismatch from input that is no CPR number at all', () => {
    expect(compareCpr(secrets, '1204851235', reference, null)).toEqual({ result: 'mismatch' });
    expect(compareCpr(secrets, '3204851234', reference, null)).toEqual({ result: 'invalid' });
    expect(compareCpr(secrets, 'abc', reference, null)).toEqual({ result: 'invalid' });
  });
});
