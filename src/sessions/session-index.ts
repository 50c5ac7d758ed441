import type { EphemeralStore } from '../store/ephemeral/ephemeral-store.ts';
import { accountSessionsKey, sessionKey, type SsoRecord } from './broker-session.ts';
import type session from 'express-session';

/**
 * The broker sessions of an account, for the operator (`portvagt sessions`, the management API) and
 * for ending them: read from the shared store, so every instance agrees, and ended there at once.
 */

export interface SessionSummary {
  /** The session's id in the store (never the cookie, which only the browser has, signed). */
  id: string;
  record: SsoRecord;
}

const ID = /^session:(.+)$/;

/** The account's live sessions, newest first. */
export async function sessionsOf(store: EphemeralStore, accountId: string, now: number): Promise<SessionSummary[]> {
  const keys = await store.members(accountSessionsKey(accountId));
  const found = await Promise.all(
    keys.map(async (key) => {
      const record = (await store.get<session.SessionData>(key))?.sso;
      const id = ID.exec(key)?.[1];
      return record && id && record.accountId === accountId && record.expiresAt > now ? { id, record } : undefined;
    }),
  );
  return found.filter((s): s is SessionSummary => s !== undefined).sort((a, b) => b.record.startedAt - a.record.startedAt);
}

/** Ends one session in the store (every instance sees it gone at its next request); what it was, if it was. */
export async function takeSession(store: EphemeralStore, id: string): Promise<SsoRecord | undefined> {
  return (await store.take<session.SessionData>(sessionKey(id)))?.sso;
}
