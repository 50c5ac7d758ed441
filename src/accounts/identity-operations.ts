import { BrokerError } from '../errors/broker-error.ts';
import type { Account, AccountRepository, UpstreamIdentityRef } from './accounts.ts';
import type { InvitationRepository, RedeemOutcome } from './invitations.ts';

/**
 * What the flows do to accounts, as plain functions over the repositories: no request, no response,
 * no flow state. Each refusal is the catalogue code the user sees.
 */

/** The account an upstream identity logs in to, in the tenant; not linked, another tenant or disabled → 6001. */
export async function accountForIdentity(accounts: AccountRepository, tenant: string, identity: UpstreamIdentityRef): Promise<Account> {
  const account = await accounts.findByIdentity(identity.issuer, identity.subject);
  if (!account || account.tenant !== tenant) throw new BrokerError(6001, { detail: `no ${identity.method} link in tenant` });
  if (account.status !== 'active') throw new BrokerError(6001, { variant: 'disabled', detail: 'account disabled' });
  return account;
}

/** A first-time login needs an identity nobody has linked yet (6002). */
export async function assertIdentityUnlinked(accounts: AccountRepository, identity: UpstreamIdentityRef): Promise<void> {
  if (await accounts.findByIdentity(identity.issuer, identity.subject)) {
    throw new BrokerError(6002, { detail: 'first-time login with an identity that is already linked' });
  }
}

export type RedeemResult = { ok: true; accountId: string } | { ok: false; reason: Extract<RedeemOutcome, { ok: false }>['reason'] };

/**
 * First-time login: the invitation of the tenant's active account `username` is checked with
 * `password`, then consumed and the identity linked in one transaction. A refused try (unknown user,
 * wrong, used or expired password) is `ok: false` with the reason for the log, never thrown; an
 * identity or method already linked is 6002, an invitation taken by a concurrent flow 5007.
 */
export async function redeemInvitationAndLink(
  stores: { accounts: AccountRepository; invitations: InvitationRepository },
  input: { tenant: string; username: string; password: string; identity: UpstreamIdentityRef },
): Promise<RedeemResult> {
  const account = input.username ? await stores.accounts.findByUsername(input.tenant, input.username) : undefined;
  const outcome = await stores.invitations.check(account?.status === 'active' ? account.id : undefined, input.password);
  if (!outcome.ok) return outcome;
  await stores.accounts.transaction(async (trx) => {
    if (!(await stores.invitations.consume(outcome.invitationId, trx))) throw new BrokerError(5007, { detail: 'invitation used by a concurrent flow' });
    const linked = await stores.accounts.link(outcome.accountId, input.identity, trx);
    if (linked !== 'linked') throw new BrokerError(6002, { detail: `first-time login: ${linked}` });
  });
  return { ok: true, accountId: outcome.accountId };
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
