import { z } from 'zod';
import { NSIS_LEVELS } from '../assurance.ts';
import type { ClientKey } from '../crypto/client-key.ts';
import { secretText } from '../crypto/secret-text.ts';
import type { Dialect } from './dialects/dialect.ts';
import { getDialect, resolveAliases, type ErrorAliases } from './dialects/index.ts';
import { PROFILE_NAMES, resolveProfile, type ProfileName } from './profiles/index.ts';
import { IDENTITY_CLAIMS, type BrokerProfile } from './profiles/profile.ts';
import { readUpstreamKey } from './upstream-key.ts';

/**
 * A login method's own section of the configuration (an entry of `upstreams:`): its keys, their
 * checks and what they resolve to, in one place (as dex's connectors open their own config). The
 * configuration adds the broker-wide keys (`id`, `support`) and runs `openMethod` on every entry.
 */

const url = z.url({ protocol: /^https?$/ });
const claimName = z.string().min(1).max(200);

/** The keys of an `upstreams:` entry that the connector reads, in the order the configuration lists them. */
export const METHOD_KEYS = {
  display_name: z.string().min(1),
  /** The broker profile: claim names, scope, how the level is asked for and returned, the dialect. */
  profile: z.enum(PROFILE_NAMES).default('generic-oidc'),
  /** Overrides the profile's error dialect. */
  dialect: z.enum(['mitid', 'nemid', 'hid', 'onespan', 'oidc']).optional(),
  /** Issuer URL; omitted for a built-in mock, which is mounted at `<base_url>/mock/<id>`. */
  issuer: url.optional(),
  mock: z.enum(['mitid', 'mitid-erhverv', 'nemid', '2fa']).optional(),
  client_id: z.string().min(1),
  /** How Portvagt authenticates at the upstream's token endpoint. */
  token_endpoint_auth_method: z.enum(['client_secret_basic', 'client_secret_post', 'private_key_jwt']).default('client_secret_basic'),
  client_secret: secretText(1).optional(),
  /** private_key_jwt: a PEM or JWK file, or the key itself (normally from PORTVAGT_UPSTREAM_KEY_<ID>). */
  private_key_file: z.string().min(1).optional(),
  private_key: z.string().min(1).optional(),
  /** Each of these overrides the profile's value. */
  scope: z.string().min(1).optional(),
  claims: z.partialRecord(z.enum(IDENTITY_CLAIMS), z.union([claimName, z.array(claimName).min(1)])).optional(),
  acr_values: z.string().optional(),
  level_claims: z.array(claimName).min(1).optional(),
  level_values: z.record(claimName, z.enum(NSIS_LEVELS)).optional(),
  language_parameter: z.string().regex(/^[A-Za-z_][\w-]{0,39}$/, 'a parameter name').optional(),
  /**
   * The upstream delivers a CPR number the release rules can compare (default: true for a MitID broker
   * profile): where a CPR match is required and none arrives, the claim configuration is at fault (3005).
   */
  provides_cpr: z.boolean().optional(),
  /** A broker's own value → a reason of the dialect, for wording the dialect does not know yet. */
  error_aliases: z.record(z.string().min(1).max(200), z.string().min(1).max(200)).default({}),
};

/** An `upstreams:` entry as the configuration file has it, once its keys passed their checks. */
export type MethodEntry = z.infer<z.ZodObject<typeof METHOD_KEYS>> & { id: string };

export type MockKind = NonNullable<MethodEntry['mock']>;

/** How Portvagt authenticates at the upstream's token endpoint. */
export type UpstreamAuth =
  | { method: 'client_secret_basic' | 'client_secret_post'; secret: string }
  | { method: 'private_key_jwt'; key: ClientKey };

/** What a login method's connector needs, resolved: profile with overrides, dialect, aliases, key, URLs. */
export interface UpstreamSettings {
  /** The login method's id, in URLs (`/callback/<id>`), flows and links. */
  readonly id: string;
  readonly displayName: string;
  readonly profileName: ProfileName;
  /** The broker profile with the entry's overrides applied: claims, scope, level, language, dialect. */
  readonly profile: BrokerProfile;
  readonly dialect: Dialect;
  /** The entry's `error_aliases`, resolved against its dialect. */
  readonly errorAliases: ErrorAliases;
  /** The configured issuer, or the built-in mock's beside the broker. */
  readonly issuer: string;
  /** A built-in mock, and whether this broker serves it (no issuer configured). */
  readonly mock?: { kind: MockKind; mounted: boolean } | undefined;
  readonly clientId: string;
  readonly auth: UpstreamAuth;
  /** Portvagt's exact callback URL for this method, from the public base URL (never the Host header). */
  readonly callbackUrl: string;
  /** The upstream delivers a CPR number the release rules can compare. */
  readonly providesCpr: boolean;
}

/** A key of the entry that is wrong, and why. */
export interface MethodProblem {
  key: string;
  message: string;
}

/**
 * Checks what the entry's keys cannot check alone (issuer or mock, the credentials for the chosen
 * authentication, a readable key, aliases the dialect knows) and resolves it, or names every problem.
 */
export function openMethod(entry: MethodEntry, baseUrl: string): { settings: UpstreamSettings } | { problems: MethodProblem[] } {
  const problems: MethodProblem[] = [];
  if (!entry.issuer && !entry.mock) problems.push({ key: 'issuer', message: 'required unless the upstream is a built-in mock' });
  const auth = upstreamAuth(entry, problems);
  const profile = resolveProfile(entry);
  const dialect = getDialect(profile.dialect);
  const aliases = resolveAliases(dialect, entry.error_aliases);
  for (const message of aliases.problems) problems.push({ key: 'error_aliases', message });
  if (problems.length || !auth) return { problems };
  return {
    settings: {
      id: entry.id,
      displayName: entry.display_name,
      profileName: entry.profile,
      profile,
      dialect,
      errorAliases: aliases.aliases,
      issuer: entry.issuer ?? `${baseUrl}/mock/${entry.id}`,
      mock: entry.mock ? { kind: entry.mock, mounted: !entry.issuer } : undefined,
      clientId: entry.client_id,
      auth,
      callbackUrl: `${baseUrl}/callback/${entry.id}`,
      // A MitID broker delivers a CPR number unless configured otherwise; another upstream only when configured to.
      providesCpr: entry.provides_cpr ?? profile.dialect === 'mitid',
    },
  };
}

/** The secret or private key the upstream's token endpoint authentication needs; a key must parse. */
function upstreamAuth(entry: MethodEntry, problems: MethodProblem[]): UpstreamAuth | undefined {
  const method = entry.token_endpoint_auth_method;
  if (method !== 'private_key_jwt') {
    if (entry.client_secret) return { method, secret: entry.client_secret };
    problems.push({ key: 'client_secret', message: `required for ${method}` });
    return undefined;
  }
  const result = readUpstreamKey(entry);
  if ('key' in result) return { method, key: result.key };
  problems.push({ key: result.field, message: result.problem });
  return undefined;
}
