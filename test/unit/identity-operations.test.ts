import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountRepository } from '../../src/accounts/accounts.ts';
import { confirmCpr, cprFingerprint } from '../../src/accounts/cpr.ts';
import { assertIdentityUnlinked, assertMethodUnlinked, checkInvitation, findLinkedAccount, linkMethod, redeemInvitation } from '../../src/accounts/identity-operations.ts';
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
  it("finds the identity's account, and answers 6001 for an identity nobody linked (its tenant and status are the release rules')", async () => {
    const account = await newAccount();
    await accounts.link(account.id, identity('login-1'));
    expect((await findLinkedAccount(accounts, identity('login-1'))).id).toBe(account.id);
    expect(await codeOf(findLinkedAccount(accounts, identity('nobody')))).toBe(6001);
  });
});

describe('first-time login: checking an invitation, then redeeming it and linking', () => {
  it('checks without redeeming; redeeming links the identity and uses the invitation up, once', async () => {
    const account = await newAccount();
    const { password } = await invitations.issue(account.id);
    const input = { tenant: 'acme', username: account.username, password };
    const checked = await checkInvitation({ accounts, invitations }, input);
    if (!checked.ok) throw new Error(`invitation refused: ${checked.reason}`);
    expect(checked.account.id).toBe(account.id);
    expect(await accounts.links(account.id)).toEqual([]);
    await redeemInvitation({ accounts, invitations }, checked.invitationId, account.id, identity('first-1'));
    expect((await accounts.links(account.id)).map((l) => l.subject)).toEqual(['first-1']);
    expect(await checkInvitation({ accounts, invitations }, input)).toEqual({ ok: false, reason: 'used' });
    expect(await codeOf(redeemInvitation({ accounts, invitations }, checked.invitationId, account.id, identity('first-2', 'nemid')))).toBe(5007);
    expect(await codeOf(assertIdentityUnlinked(accounts, identity('first-1')))).toBe(6002);
  });

  it('refuses a wrong password or unknown user as a result, not an exception, and links nothing', async () => {
    const account = await newAccount();
    await invitations.issue(account.id);
    expect(await checkInvitation({ accounts, invitations }, { tenant: 'acme', username: account.username, password: 'wrong' })).toEqual({ ok: false, reason: 'wrong' });
    expect(await checkInvitation({ accounts, invitations }, { tenant: 'acme', username: 'no.such.user', password: 'x' })).toEqual({ ok: false, reason: 'unknown' });
    expect(await accounts.links(account.id)).toEqual([]);
  });

  it('answers 6002 when the account already has the method, and leaves the invitation open', async () => {
    const account = await newAccount();
    await accounts.link(account.id, identity('first-4'));
    const { password } = await invitations.issue(account.id);
    const checked = await checkInvitation({ accounts, invitations }, { tenant: 'acme', username: account.username, password });
    if (!checked.ok) throw new Error(`invitation refused: ${checked.reason}`);
    expect(await codeOf(redeemInvitation({ accounts, invitations }, checked.invitationId, account.id, identity('first-5')))).toBe(6002);
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

describe('confirming a typed CPR number', () => {
  const previous = { cpr_hmac_key: 'previous-cpr-key-0123456789-0123456789', cpr_hmac_previous_keys: [] };
  const secrets = { cpr_hmac_key: 'test-cpr-key-0123456789-0123456789', cpr_hmac_previous_keys: [previous.cpr_hmac_key] };
  const reference = cprFingerprint(secrets, '1204851234');
  const other = cprFingerprint(secrets, '0307724321');

  it('matches the same number however it is typed, and hands back only fingerprints', () => {
    expect(confirmCpr(secrets, '120485-1234', { stored: null, delivered: reference })).toEqual({ result: 'match', confirmation: { fingerprint: reference, stored: null } });
    expect(confirmCpr(secrets, ' 1204851234 ', { stored: reference })).toEqual({ result: 'match', confirmation: { fingerprint: reference, stored: reference } });
  });

  it('matches a stored fingerprint of the previous CPR key, naming it', () => {
    const old = cprFingerprint(previous, '1204851234');
    expect(confirmCpr(secrets, '1204851234', { stored: old, delivered: reference })).toEqual({ result: 'match', confirmation: { fingerprint: reference, stored: old } });
  });

  it('needs every reference to match: the stored one and the delivered one', () => {
    expect(confirmCpr(secrets, '1204851234', { stored: reference, delivered: other })).toEqual({ result: 'mismatch' });
    expect(confirmCpr(secrets, '1204851234', { stored: other, delivered: reference })).toEqual({ result: 'mismatch' });
  });

  it('tells a mismatch from input that is no CPR number at all', () => {
    expect(confirmCpr(secrets, '1204851235', { stored: null, delivered: reference })).toEqual({ result: 'mismatch' });
    expect(confirmCpr(secrets, '3204851234', { stored: null, delivered: reference })).toEqual({ result: 'invalid' });
    expect(confirmCpr(secrets, 'abc', { stored: null, delivered: reference })).toEqual({ result: 'invalid' });
  });
});
