import type { NsisLevel } from '../assurance.ts';
import { deriveKey } from '../crypto/derive-key.ts';
import { openMethod, type UpstreamSettings } from '../upstream/method-config.ts';
import { ConfigError } from './config-error.ts';
import type { ConfigFile, SupportConfig } from './schema.ts';

/**
 * The configuration as the code uses it, made once at load: clients, tenants and login methods by
 * id, in the code's own words. The settings sections (server, storage, timeouts, …) keep the file's shape.
 */

export type Support = SupportConfig;

type Action = ConfigFile['clients'][number]['actions'][number];

export interface Tenant {
  readonly id: string;
  readonly name: string;
  /** MitID logins for this tenant must pass a CPR match. */
  readonly requireCprMatch: boolean;
  readonly minAssurance: NsisLevel;
  /** The company's own IT support: the contact for its users' 2FA problems. */
  readonly support?: Support | undefined;
  /** Single sign-on: whether a live session releases logins to the tenant's systems, and for how long. */
  readonly sso: { readonly enabled: boolean; readonly idleMs: number; readonly maxMs: number };
}

/** A relying party: the system users log in to. */
export interface Client {
  readonly id: string;
  readonly secret?: string | undefined;
  readonly tokenEndpointAuthMethod: ConfigFile['clients'][number]['token_endpoint_auth_method'];
  readonly jwks?: { keys: Record<string, unknown>[] } | undefined;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris: readonly string[];
  readonly backchannelLogoutUri?: string | undefined;
  readonly displayName: string;
  /** The system's home page: where "back to the system" leads once a login is finished. */
  readonly clientUri?: string | undefined;
  readonly logoUrl?: string | undefined;
  readonly primaryColor?: string | undefined;
  readonly enabled: boolean;
  readonly tenants: readonly string[];
  /** The ids of the login methods the system offers, in the chooser's order. */
  readonly loginMethods: readonly string[];
  readonly requireCprMatch: boolean;
  readonly minAssurance: NsisLevel;
  /** Scopes for the management API (client credentials); empty for an ordinary login client. */
  readonly managementScopes: readonly string[];
  readonly invitationMail: {
    readonly firstLoginUrl?: string | undefined;
    readonly replyTo?: string | undefined;
    readonly texts: Readonly<Record<string, { subject?: string | undefined; intro?: string | undefined }>>;
  };
  /** The actions the system starts. */
  readonly actions: readonly Action[];
  readonly support?: Support | undefined;
  /** Portvagt's own client (the account page), made from the configuration rather than configured. */
  readonly own?: true;
}

/** A login method: its connector's settings, and whom its users can call. */
export interface LoginMethod extends UpstreamSettings {
  readonly support?: Support | undefined;
  /** The highest NSIS level a login with it can reach (`max_level`). */
  readonly maxLevel: NsisLevel;
}

type Settings = Omit<ConfigFile, 'tenants' | 'clients' | 'upstreams'>;

export interface Config extends Settings {
  /** In the file's order. */
  readonly tenants: ReadonlyMap<string, Tenant>;
  readonly clients: ReadonlyMap<string, Client>;
  /** The entries of `upstreams:`, by their id. */
  readonly methods: ReadonlyMap<string, LoginMethod>;
}

/** A system's look on Portvagt's pages (its name, colour and logo in the header). */
export const clientBrand = (client: Client | undefined) => (client ? { name: client.displayName, color: client.primaryColor, logo: client.logoUrl } : undefined);

/** The entry of an id a request or record may lack (then none). */
export const lookup = <T>(entries: ReadonlyMap<string, T>, id: string | undefined): T | undefined => (id === undefined ? undefined : entries.get(id));

const byId = <T extends { id: string }>(entries: T[]): ReadonlyMap<string, T> => new Map(entries.map((entry) => [entry.id, entry]));

/**
 * Portvagt's own client: the account page ("Mine loginmetoder", docs/account-page.md) logs its users in
 * through the chooser and the release rules as any system does, in every tenant, with every login
 * method a system of the deployment offers. Its secret is derived, as it never redeems a code at the
 * token endpoint (the page takes its code from the store in-process).
 */
export const ACCOUNT_CLIENT_ID = 'portvagt-account';

function accountClient(settings: Pick<Settings, 'secrets' | 'server'>, tenants: readonly string[], clients: readonly Client[], methods: readonly string[]): Client {
  const offered = new Set(clients.filter((c) => c.enabled).flatMap((c) => c.loginMethods));
  return {
    id: ACCOUNT_CLIENT_ID,
    secret: deriveKey(settings.secrets.cookie_keys[0]!, 'account-client').toString('base64url'),
    tokenEndpointAuthMethod: 'client_secret_basic',
    redirectUris: [`${settings.server.base_url}/account/callback`],
    postLogoutRedirectUris: [],
    displayName: 'Portvagt',
    clientUri: `${settings.server.base_url}/account`,
    enabled: true,
    tenants,
    loginMethods: methods.filter((m) => offered.has(m)),
    requireCprMatch: false,
    minAssurance: 'low',
    managementScopes: [],
    invitationMail: { texts: {} },
    actions: ['login', 'link'],
    own: true,
  };
}

/** The systems the configuration names, without Portvagt's own client. */
export const configuredClients = (config: Pick<Config, 'clients'>): Client[] => [...config.clients.values()].filter((c) => !c.own);

/** The model of a validated configuration file. */
export function configModel(file: ConfigFile): Config {
  const model = configured(file);
  const own = accountClient(model, [...model.tenants.keys()], [...model.clients.values()], [...model.methods.keys()]);
  return { ...model, clients: new Map([...model.clients, [own.id, own]]) };
}

function configured(file: ConfigFile): Config {
  const { tenants, clients, upstreams, ...settings } = file;
  return {
    ...settings,
    tenants: byId(
      tenants.map((t) => ({
        id: t.id,
        name: t.name,
        requireCprMatch: t.require_cpr_match,
        minAssurance: t.min_assurance,
        support: t.support,
        sso: { enabled: t.sso.enabled, idleMs: t.sso.idle_minutes * 60_000, maxMs: t.sso.max_hours * 3_600_000 },
      })),
    ),
    clients: byId(
      clients.map((c) => ({
        id: c.client_id,
        secret: c.client_secret,
        tokenEndpointAuthMethod: c.token_endpoint_auth_method,
        jwks: c.jwks,
        redirectUris: c.redirect_uris,
        postLogoutRedirectUris: c.post_logout_redirect_uris,
        backchannelLogoutUri: c.backchannel_logout_uri,
        displayName: c.display_name,
        clientUri: c.client_uri,
        logoUrl: c.logo_url,
        primaryColor: c.primary_color,
        enabled: c.enabled,
        tenants: c.tenants,
        loginMethods: c.login_methods,
        requireCprMatch: c.require_cpr_match,
        minAssurance: c.min_assurance,
        managementScopes: c.management_scopes,
        invitationMail: { firstLoginUrl: c.invitation_mail.first_login_url, replyTo: c.invitation_mail.reply_to, texts: c.invitation_mail.texts },
        actions: c.actions,
        support: c.support,
      })),
    ),
    methods: byId(
      upstreams.map((u, i) => {
        const opened = openMethod(u, settings.server.base_url);
        // Validation opened every entry already; only a key file changed in between fails here.
        if ('problems' in opened) throw new ConfigError(`invalid configuration:\n${opened.problems.map((p) => `  upstreams[${i}].${p.key}: ${p.message}`).join('\n')}`);
        return { ...opened.settings, support: u.support, maxLevel: u.max_level };
      }),
    ),
  };
}
