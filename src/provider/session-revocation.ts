import type Provider from 'oidc-provider';
import type { Account } from '../accounts/accounts.ts';
import type { Actor, ManagementOperations } from '../accounts/management.ts';
import { sessionsOf, takeSession, type SessionSummary } from '../sessions/session-index.ts';
import type { SsoRecord } from '../sessions/broker-session.ts';
import type { EphemeralStore } from '../store/ephemeral/ephemeral-store.ts';
import type { LogoutClient } from './backchannel.ts';

/**
 * An operator's revocation of broker sessions: each is deleted from the shared store (every instance
 * finds it gone at once), and its OpenID Connect session ends with it, each system of the session
 * told by back-channel logout where it registered an address (a failed delivery is retried, as at a
 * user's logout). Returns the sessions that were live.
 */
export async function revokeSessions(provider: () => Promise<Provider>, store: EphemeralStore, ids: readonly string[]): Promise<SsoRecord[]> {
  const ended: SsoRecord[] = [];
  for (const id of ids) {
    const record = await takeSession(store, id);
    if (!record) continue;
    ended.push(record);
    if (record.providerSession) await endProviderSession(await provider(), record.providerSession);
  }
  return ended;
}

async function endProviderSession(provider: Provider, uid: string): Promise<void> {
  const session = await provider.Session.findByUid(uid);
  if (!session?.accountId) return;
  const { accountId } = session;
  await Promise.all(
    Object.keys(session.authorizations ?? {}).map(async (clientId) => {
      const client = (await provider.Client.find(clientId)) as unknown as LogoutClient | undefined;
      const sid = session.sidFor(clientId);
      if (!client?.backchannelLogoutUri || !sid) return;
      await client.backchannelLogout(accountId, sid).catch((error: unknown) => provider.emit('backchannel.error', undefined, error, client, accountId, sid));
    }),
  );
  await session.destroy();
}

export interface RevocationDeps {
  /** The provider, asked for only when a session has an OpenID Connect session to end (the CLI makes it then). */
  provider: () => Promise<Provider>;
  store: EphemeralStore;
  ops: ManagementOperations;
  clock: () => number;
}

/**
 * Ends an account's sessions, all or those `which` picks, as an audited management change (the API
 * and the CLI alike; nothing is recorded when there was nothing to end).
 */
export async function revokeAccountSessions(deps: RevocationDeps, account: Account, actor: Actor, which: (session: SessionSummary) => boolean = () => true): Promise<{ revoked: number; reference?: string }> {
  const live = (await sessionsOf(deps.store, account.id, deps.clock())).filter(which).map((s) => s.id);
  const ended = await revokeSessions(deps.provider, deps.store, live);
  if (!ended.length) return { revoked: 0 };
  const systems = [...new Set(ended.flatMap((r) => r.clients))];
  const reference = await deps.ops.record('session.revoke', actor, { tenant: account.tenant, accountId: account.id, detail: `${ended.length} session(s), systems ${systems.join(', ') || 'none'}` });
  return { revoked: ended.length, reference };
}
