import type { Request } from 'express';
import type Provider from 'oidc-provider';
import { isLinked, type Account, type AccountRepository, type IdentityLink } from '../accounts/accounts.ts';
import type { Clock } from '../clock.ts';
import { ACCOUNT_CLIENT_ID } from '../config/model.ts';
import type { OutcomeJournal } from '../outcomes/journal.ts';
import { revokeSessions } from '../provider/session-revocation.ts';
import type { SessionLogin, SsoRecord } from '../sessions/broker-session.ts';
import { sessionsOf, type SessionSummary } from '../sessions/session-index.ts';
import type { EphemeralStore } from '../store/ephemeral/ephemeral-store.ts';

/**
 * The changes the account holder makes on the account page (docs/account-page.md): removing a login
 * method and ending sessions. Each is an outcome in the journal; an ended session's systems are told
 * by back-channel logout, as at any logout.
 */

export interface AccountChangeDeps {
  accounts: AccountRepository;
  store: EphemeralStore;
  journal: OutcomeJournal;
  provider: Provider;
  clock: Clock;
}

/** How recent the login with another method must be for a removal: a few minutes, as for a password change elsewhere. */
export const FRESH_LOGIN_MS = 5 * 60_000;

/** The session's login with another of the account's methods, made within the last few minutes: what removing `method` needs. */
export function freshOtherLogin(record: SsoRecord, links: readonly IdentityLink[], method: string, now: number): SessionLogin | undefined {
  return record.logins.find((login) => login.method !== method && isLinked(links, login) && login.authTime >= now - FRESH_LOGIN_MS);
}

const where = (account: Account) => ({ route: 'account', clientId: ACCOUNT_CLIENT_ID, tenant: account.tenant, accountId: account.id });

/** Ends these sessions of the account (their systems told), each a `logged-out` outcome; returns what they were. */
export async function endSessions(deps: AccountChangeDeps, account: Account, sessions: readonly SessionSummary[]): Promise<SsoRecord[]> {
  const ended = await revokeSessions(async () => deps.provider, deps.store, sessions.map((s) => s.id));
  for (const record of ended) await deps.journal.record({ kind: 'logged-out', accountId: account.id, systems: record.clients }, where(account));
  return ended;
}

export type Removal = 'removed' | 'not-linked' | 'last-method' | 'not-fresh';

/**
 * Removes one of the account's login methods, never the last, and only after a fresh login with
 * another. The other sessions that were logged in with it end; this session, whose holder just
 * proved themselves another way, only forgets its login with the method.
 */
export async function removeOwnMethod(deps: AccountChangeDeps, req: Request, account: Account, record: SsoRecord, method: string): Promise<Removal> {
  const links = await deps.accounts.links(account.id);
  if (!links.some((l) => l.method === method)) return 'not-linked';
  if (links.length === 1) return 'last-method';
  if (!freshOtherLogin(record, links, method, deps.clock())) return 'not-fresh';
  const removed = await deps.accounts.unlink(account.id, method);
  if (removed !== 'removed') return removed === 'not-found' ? 'not-linked' : removed;
  await deps.journal.record({ kind: 'method-removed', method, accountId: account.id }, where(account));
  record.logins = record.logins.filter((l) => l.method !== method);
  const others = (await sessionsOf(deps.store, account.id, deps.clock())).filter((s) => s.id !== req.sessionID && s.record.logins.some((l) => l.method === method));
  await endSessions(deps, account, others);
  return 'removed';
}
