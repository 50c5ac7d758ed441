import session from 'express-session';
import type { Request, RequestHandler, Response } from 'express';
import type { NsisLevel } from '../assurance.ts';
import { deriveKey } from '../crypto/derive-key.ts';
import type { EphemeralStore } from '../store/ephemeral/ephemeral-store.ts';

/**
 * The broker session (docs/flows.md, "Single sign-on"): one per browser, on express-session, in the
 * deployment's ephemeral store. It holds the single sign-on record: whose session it is, each upstream
 * login made in it, the systems it was released to. The flows' binding to the browser and the
 * language stay in their own cookies (http/browser-cookies.ts): a flow must outlive the session id,
 * which changes at every login, and a language choice outlives a session.
 */

/** One upstream login of the session, as the release rules need it again: never the CPR number itself. */
export interface SessionLogin {
  method: string;
  issuer: string;
  subject: string;
  level?: NsisLevel | undefined;
  /** When the user authenticated at the upstream (ms). */
  authTime: number;
  /** The authenticators the upstream named, for the ID token's `amr` of a release from the session. */
  amr?: string[] | undefined;
  cprFingerprint?: string | undefined;
  /** The CPR number typed on the CPR form, as its fingerprints, where the release rules asked for it. */
  cprConfirmation?: { fingerprint: string; stored: string | null } | undefined;
}

export interface SsoRecord {
  accountId: string;
  tenant: string;
  startedAt: number;
  /** The last release from the session (a login or a single sign-on): the idle time counts from here. */
  usedAt: number;
  /** The earlier of the idle and the absolute deadline (ms). */
  expiresAt: number;
  /** Newest first, one per login method. */
  logins: SessionLogin[];
  /** The systems (client ids) the session was released to, in order. */
  clients: string[];
  /** oidc-provider's session towards the systems (its uid), which ends with this one. */
  providerSession?: string | undefined;
  /** A short description of the browser, for the operator's and the user's list of sessions. */
  browser: string;
}

declare module 'express-session' {
  interface SessionData {
    sso?: SsoRecord;
  }
}

export const SESSION_COOKIE = 'portvagt.session';
const KEY_PREFIX = 'session:';
/** A session without a single sign-on record (none is written: `saveUninitialized` is off) lives an hour at most. */
const PLAIN_SESSION_SECONDS = 3600;

export const sessionKey = (id: string) => `${KEY_PREFIX}${id}`;
export const accountSessionsKey = (accountId: string) => `sessions-of:${accountId}`;

/**
 * express-session's store over Portvagt's ephemeral store (memory, SQLite or Redis, as deployed), so a
 * session lives where the flows and oidc-provider's state live and every instance sees it. Each record
 * expires at its own deadline, and is indexed by account for the operator's list and revocation.
 */
class EphemeralSessionStore extends session.Store {
  readonly #store: EphemeralStore;
  readonly #clock: () => number;

  constructor(store: EphemeralStore, clock: () => number) {
    super();
    this.#store = store;
    this.#clock = clock;
  }

  override get(sid: string, callback: (error: unknown, data?: session.SessionData | null) => void): void {
    this.#store.get<session.SessionData>(sessionKey(sid)).then((data) => callback(null, data ?? null), callback);
  }

  override set(sid: string, data: session.SessionData, callback?: (error?: unknown) => void): void {
    const { sso } = data;
    const seconds = sso ? Math.max(1, Math.ceil((sso.expiresAt - this.#clock()) / 1000)) : PLAIN_SESSION_SECONDS;
    this.#store.set(sessionKey(sid), data, seconds, sso ? accountSessionsKey(sso.accountId) : undefined).then(() => callback?.(), callback);
  }

  override destroy(sid: string, callback?: (error?: unknown) => void): void {
    this.#store.delete(sessionKey(sid)).then(() => callback?.(), callback);
  }

  /** A page view does not keep a session alive: only a release does (its record's own deadlines). */
  override touch(_sid: string, _data: session.SessionData, callback?: () => void): void {
    callback?.();
  }
}

/**
 * The broker session's middleware: the cookie signed with sub-keys of the cookie keys (the first signs,
 * all verify, so keys rotate as the other cookies do), HttpOnly, Secure behind https, SameSite=Lax,
 * and gone when the browser closes; nothing stored until a login is released.
 */
export function brokerSessions(options: { store: EphemeralStore; cookieKeys: readonly string[]; secure: boolean; clock: () => number }): RequestHandler {
  return session({
    name: SESSION_COOKIE,
    secret: options.cookieKeys.map((key) => deriveKey(key, 'broker-session').toString('base64url')),
    store: new EphemeralSessionStore(options.store, options.clock),
    resave: false,
    saveUninitialized: false,
    unset: 'destroy',
    cookie: { httpOnly: true, secure: options.secure, sameSite: 'lax', path: '/' },
  });
}

const settle = (resolve: () => void, reject: (error: unknown) => void) => (error: unknown) => (error ? reject(error) : resolve());

/** A new session id for this browser (at every upstream login, so a session id planted before it gains nothing); the caller writes its record anew. */
export function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate(settle(resolve, reject)));
}

/**
 * Stores the session now, before a redirect: a browser follows a 303 on its headers, which
 * express-session sends before its own save at the end of the response has finished.
 */
export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save(settle(resolve, reject)));
}

/** Ends this browser's session: its record is deleted from the store at once. */
export function destroySession(req: Request): Promise<void> {
  if (!req.session) return Promise.resolve();
  return new Promise((resolve, reject) => req.session.destroy(settle(resolve, reject)));
}

/** Ends this browser's session and has the browser forget its cookie. */
export async function endBrowserSession(req: Request, res: Response): Promise<void> {
  await destroySession(req);
  res.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** The browser's live single sign-on record, if any: one past a deadline counts as none. */
export function liveRecord(req: Request, now: number): SsoRecord | undefined {
  const record = req.session?.sso;
  return record && record.expiresAt > now ? record : undefined;
}
