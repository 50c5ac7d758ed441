import type { Account, AccountRepository } from '../accounts/accounts.ts';
import type { Clock } from '../clock.ts';
import { ACCOUNT_CLIENT_ID, type Config } from '../config/model.ts';
import type { AuditLog } from '../outcomes/audit-log.ts';
import type { SsoRecord } from '../sessions/broker-session.ts';
import { sessionsOf } from '../sessions/session-index.ts';
import type { EphemeralStore } from '../store/ephemeral/ephemeral-store.ts';

/** How many of the account's latest logins the page lists. */
export const RECENT_LOGINS = 20;

export interface OverviewDeps {
  config: Config;
  accounts: AccountRepository;
  audit: AuditLog;
  store: EphemeralStore;
  clock: Clock;
}

export interface MethodRow {
  id: string;
  name: string;
  linkedAt: number;
  lastUsed: number | undefined;
}

export interface SessionRow {
  /** The session's id in the store; undefined for this browser's own. */
  id: string | undefined;
  browser: string;
  startedAt: number;
  usedAt: number;
  systems: string[];
}

export interface LoginRow {
  at: number;
  system: string | undefined;
  method: string | undefined;
  level: string | undefined;
  released: boolean;
  code: number | undefined;
}

export interface Overview {
  methods: MethodRow[];
  /** Methods a system of the deployment offers that the account has not linked yet. */
  unlinked: string[];
  current: SessionRow;
  others: SessionRow[];
  logins: LoginRow[];
}

/**
 * What the account page shows (docs/account-page.md): the linked methods with when each was linked
 * and last used, this session and the account's other live sessions, and the latest logins from the
 * audit log. Names are the configuration's; Portvagt's own client is named by the page itself.
 */
export async function overview(deps: OverviewDeps, account: Account, record: SsoRecord, sessionId: string, ownName: string): Promise<Overview> {
  const { config } = deps;
  const [links, lastUse, logins, sessions] = await Promise.all([
    deps.accounts.links(account.id),
    deps.audit.lastUseByMethod(account.id),
    deps.audit.loginsOf(account.id, RECENT_LOGINS),
    sessionsOf(deps.store, account.id, deps.clock()),
  ]);
  const methodName = (id: string) => config.methods.get(id)?.displayName ?? id;
  const systemName = (id: string) => {
    const client = config.clients.get(id);
    return client?.own ? ownName : (client?.displayName ?? id);
  };
  const row = (id: string | undefined, r: SsoRecord): SessionRow => ({ id, browser: r.browser, startedAt: r.startedAt, usedAt: r.usedAt, systems: r.clients.map(systemName) });
  const linked = new Set(links.map((l) => l.method));
  return {
    methods: links.map((l) => ({ id: l.method, name: methodName(l.method), linkedAt: l.created_at, lastUsed: lastUse.get(l.method) })),
    unlinked: (config.clients.get(ACCOUNT_CLIENT_ID)?.loginMethods ?? []).filter((m) => !linked.has(m)),
    current: row(undefined, record),
    others: sessions.filter((s) => s.id !== sessionId).map((s) => row(s.id, s.record)),
    logins: logins.map((e) => ({
      at: e.at,
      system: e.client_id ? systemName(e.client_id) : undefined,
      method: e.method ? methodName(e.method) : undefined,
      level: e.level ?? undefined,
      released: e.outcome === 'success',
      code: e.code ?? undefined,
    })),
  };
}
