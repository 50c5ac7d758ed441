import { BrokerError } from '../errors/broker-error.ts';
import type { Account, AccountRepository, UpstreamIdentityRef } from './accounts.ts';
import type { InvitationRepository, RedeemOutcome } from './invitations.ts';

/**
 * What the flows do to accounts, as plain functions over the repositories: no request, no response,
 * no flow state. Each refusal is the catalogue code the user sees.
 */

/**
 * The account an upstream identity is linked to; none → 6001. Whether it may log in here (its tenant,
 * its status) is for the release rules to say.
 */
export async function findLinkedAccount(accounts: AccountRepository, identity: UpstreamIdentityRef): Promise<Account> {
  const account = await accounts.findByIdentity(identity.issuer, identity.subject);
  if (!account) throw new BrokerError(6001, { detail: `no ${identity.method} link` });
  return account;
}

/** A first-time login needs an identity nobody has linked yet (6002). */
export async function assertIdentityUnlinked(accounts: AccountRepository, identity: UpstreamIdentityRef): Promise<void> {
  if (await accounts.findByIdentity(identity.issuer, identity.subject)) {
    throw new BrokerError(6002, { detail: 'first-time login with an identity that is already linked' });
  }
}

type InvitationStores = { accounts: AccountRepository; invitations: InvitationRepository };

export type InvitationCheck = { ok: true; account: Account; invitationId: string } | Extract<RedeemOutcome, { ok: false }>;

/**
 * First-time login, first half: the invitation of the tenant's active account `username` is checked
 * with `password` (an attempt counted). A refused try (unknown user, wrong, used or expired password)
 * is `ok: false` with the reason for the log, never thrown. Nothing is redeemed or linked yet.
 */
export async function checkInvitation(stores: InvitationStores, input: { tenant: string; username: string; password: string }): Promise<InvitationCheck> {
  const account = input.username ? await stores.accounts.findByUsername(input.tenant, input.username) : undefined;
  const outcome = await stores.invitations.check(account?.status === 'active' ? account.id : undefined, input.password);
  if (!outcome.ok) return outcome;
  return { ok: true, account: account!, invitationId: outcome.invitationId };
}

/**
 * First-time login, second half, once the login may be released: the invitation consumed and the
 * identity linked in one transaction. An identity or method already linked is 6002, an invitation
 * taken by a concurrent flow 5007.
 */
export async function redeemInvitation(stores: InvitationStores, invitationId: string, accountId: string, identity: UpstreamIdentityRef): Promise<void> {
  await stores.accounts.transaction(async (trx) => {
    if (!(await stores.invitations.consume(invitationId, trx))) throw new BrokerError(5007, { detail: 'invitation used by a concurrent flow' });
    const linked = await stores.accounts.link(accountId, identity, trx);
    if (linked !== 'linked') throw new BrokerError(6002, { detail: `first-time login: ${linked}` });
  });
}

/** A method the account has already linked cannot be picked again (6002). */
export async function assertMethodUnlinked(accounts: AccountRepository, accountId: string, method: string): Promise<void> {
  if ((await accounts.links(accountId)).some((l) => l.method === method)) {
    throw new BrokerError(6002, { variant: 'link', detail: 'method already linked to this account' });
  }
}

/** Links one more method to an account; an identity owned by anyone or a method already there → 6002. */
export async function linkMethod(accounts: AccountRepository, accountId: string, identity: UpstreamIdentityRef): Promise<void> {
  const outcome = await accounts.link(accountId, identity);
  if (outcome !== 'linked') throw new BrokerError(6002, { variant: 'link', detail: `link refused: ${outcome}` });
}
