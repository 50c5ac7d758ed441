import type { Account, IdentityLink } from '../accounts/accounts.ts';
import type { InvitationRepository } from '../accounts/invitations.ts';
import type { SessionSummary } from '../sessions/session-index.ts';

type InvitationRow = Awaited<ReturnType<InvitationRepository['list']>>[number];

const iso = (ms: number) => new Date(ms).toISOString();

/** An account as the API and the CLI show it: the CPR fingerprint stays inside Portvagt. */
export function accountView(account: Account) {
  return {
    id: account.id,
    tenant: account.tenant,
    username: account.username,
    display_name: account.display_name,
    email: account.email,
    status: account.status,
    has_cpr: account.cpr_fingerprint !== null,
    created_at: iso(account.created_at),
  };
}

/** A broker session as the API and the CLI show it: when, where and how; never the cookie or a CPR fingerprint. */
export function sessionView({ id, record }: SessionSummary) {
  return {
    id,
    tenant: record.tenant,
    started_at: iso(record.startedAt),
    last_used_at: iso(record.usedAt),
    expires_at: iso(record.expiresAt),
    systems: record.clients,
    logins: record.logins.map((l) => ({ method: l.method, level: l.level ?? null, at: iso(l.authTime) })),
    browser: record.browser,
  };
}

export function linkView(link: IdentityLink) {
  return { method: link.method, issuer: link.issuer, subject: link.subject, created_at: iso(link.created_at) };
}

/** An open invitation past its expiry reads as "expired": that is what the user would meet. */
export function invitationView(invitation: InvitationRow, now = Date.now()) {
  const expired = invitation.status === 'open' && invitation.expires_at <= now;
  return {
    id: invitation.id,
    status: expired ? 'expired' : invitation.status,
    attempts: invitation.attempts,
    created_at: iso(invitation.created_at),
    expires_at: iso(invitation.expires_at),
  };
}
