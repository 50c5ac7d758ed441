import type { Generated } from 'kysely';

/** Times are epoch milliseconds in both SQLite and PostgreSQL, so one query layer serves both. */
export interface AccountsTable {
  id: string;
  tenant: string;
  username: string;
  display_name: string;
  email: string | null;
  status: 'active' | 'disabled';
  cpr_fingerprint: string | null;
  created_at: number;
}

export interface IdentityLinksTable {
  id: Generated<number>;
  account_id: string;
  method: string;
  issuer: string;
  subject: string;
  created_at: number;
}

export interface InvitationsTable {
  id: string;
  account_id: string;
  password_hash: string;
  expires_at: number;
  attempts: number;
  status: 'open' | 'used' | 'revoked' | 'void';
  created_at: number;
}

export interface SigningKeysTable {
  kid: string;
  /** The private JWK, sealed with the key-encryption key (src/crypto/key-encryption.ts). */
  private_jwk: string;
  created_at: number;
  /** Published from creation; signs from this moment (the newest key whose moment has come). */
  activates_at: number | null;
  /** Stops signing at this moment; still published until the tokens it signed have expired. */
  retired_at: number | null;
}

export interface AuditEventsTable {
  id: Generated<number>;
  reference: string;
  at: number;
  event: string;
  outcome: string;
  code: number | null;
  tenant: string | null;
  client_id: string | null;
  method: string | null;
  account_id: string | null;
  /** The NSIS level a released login reached (from migration 0004; older records have none). */
  level: string | null;
  upstream_reason: string | null;
  detail: string | null;
}

export interface Database {
  accounts: AccountsTable;
  identity_links: IdentityLinksTable;
  invitations: InvitationsTable;
  signing_keys: SigningKeysTable;
  audit_events: AuditEventsTable;
}
