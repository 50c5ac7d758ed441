import type { Account } from '../accounts/accounts.ts';
import type { Actor, ManagementOperations } from '../accounts/management.ts';
import { revokeAccountSessions, type RevocationDeps } from './session-revocation.ts';

/**
 * An operator's changes to an account that end sessions (the management API and the CLI alike): the
 * account's change itself (accounts/management.ts), then the sessions it concerns, telling their systems.
 */

/** Stops the account's logins (a release reads its status) and ends its sessions, telling their systems. */
export async function setAccountStatus(deps: RevocationDeps, account: Account, status: Account['status'], actor: Actor): Promise<string> {
  const reference = await deps.ops.setStatus(account, status, actor);
  if (status === 'disabled') await revokeAccountSessions(deps, account, actor);
  return reference;
}

/** Removes a login method; the sessions logged in with it end (a release reads the links too). */
export async function removeMethod(deps: RevocationDeps, account: Account, method: string, force: boolean, actor: Actor): ReturnType<ManagementOperations['removeLink']> {
  const removed = await deps.ops.removeLink(account, method, force, actor);
  if (removed.outcome === 'removed') await revokeAccountSessions(deps, account, actor, (s) => s.record.logins.some((l) => l.method === method));
  return removed;
}

/** Deletes the account after ending its sessions (docs/operating.md, "Deleting an account"). */
export async function deleteAccount(deps: RevocationDeps, account: Account, actor: Actor): Promise<string> {
  await revokeAccountSessions(deps, account, actor);
  return deps.ops.deleteAccount(account, actor);
}
