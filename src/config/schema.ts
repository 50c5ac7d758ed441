import { z } from 'zod';
import { NSIS_LEVELS } from '../assurance.ts';
import { REDIS_TIMEOUT_MS } from '../store/ephemeral/redis.ts';
import { secretText as secret } from '../crypto/secret-text.ts';
import { METHOD_KEYS, openMethod } from '../upstream/method-config.ts';
import { ACCOUNT_CLIENT_ID } from './model.ts';
import { trustProxy } from './trust-proxy.ts';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes');
const url = z.url({ protocol: /^https?$/ });
const seconds = z.number().int().positive();
/** The NSIS level a login must reach at least (`low` asks nothing beyond a login). */
const minAssurance = z.enum(NSIS_LEVELS).default('low');
const longSecret = secret(32, 'at least 32 characters');

/** A text for people: one string for every language, or one per language (`{ da: …, en: … }`). */
const localized = z.union([z.string().min(1), z.record(z.string().regex(/^[a-z]{2}$/, 'a language code like da or en'), z.string().min(1))]);

/** Whom users can call or write to; shown wherever a page says "support" (docs/error-codes.md, "Support contacts"). */
const support = z.object({
  name: localized,
  phone: z.string().min(1).optional(),
  email: z.email().optional(),
  url: z.union([url, z.record(z.string().regex(/^[a-z]{2}$/), url)]).optional(),
  hours: localized.optional(),
});

const tenant = z.object({
  id,
  name: z.string().min(1),
  /** MitID logins for this tenant must pass a CPR match. */
  require_cpr_match: z.boolean().default(false),
  min_assurance: minAssurance,
  /** The company's own IT support: the contact for its users' 2FA problems. */
  support: support.optional(),
  /** Single sign-on across the tenant's systems (docs/flows.md, "Single sign-on"); defaults as Keycloak's. */
  sso: z
    .object({
      enabled: z.boolean().default(true),
      idle_minutes: z.number().int().min(1).max(24 * 60).default(30),
      max_hours: z.number().min(0.1).max(24 * 7).default(8),
    })
    .prefault({}),
});

const client = z.object({
  client_id: z.string().min(1).max(100),
  client_secret: secret(16).optional(),
  token_endpoint_auth_method: z
    .enum(['client_secret_basic', 'client_secret_post', 'private_key_jwt'])
    .default('client_secret_basic'),
  jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) }).optional(),
  redirect_uris: z.array(url).min(1),
  post_logout_redirect_uris: z.array(url).default([]),
  /** Where Portvagt posts a logout token when the user's session ends (Back-Channel Logout 1.0); may be an internal address. */
  backchannel_logout_uri: url.optional(),
  display_name: z.string().min(1),
  /** The system's home page: where "back to the system" leads once a login is finished. */
  client_uri: url.optional(),
  logo_url: z.string().optional(),
  primary_color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #0059b3').optional(),
  enabled: z.boolean().default(true),
  tenants: z.array(id).min(1),
  login_methods: z.array(id).min(1),
  require_cpr_match: z.boolean().default(false),
  min_assurance: minAssurance,
  /** Scopes for the management API (client credentials); empty for an ordinary login client. */
  management_scopes: z.array(z.string()).default([]),
  /** The invitation e-mail in this system's name (see src/mail/invitation-mail.ts). */
  invitation_mail: z
    .object({
      /** Where the system starts a first-time login (it must send the user to Portvagt with action=first-login). */
      first_login_url: url.optional(),
      reply_to: z.email().optional(),
      /** Own subject and opening per language, replacing the default texts; `{system}` and `{name}` are filled in. */
      texts: z.record(z.string().regex(/^[a-z]{2}$/), z.object({ subject: z.string().min(1).max(200).optional(), intro: z.string().min(1).max(2000).optional() })).default({}),
    })
    .prefault({}),
  /** The actions the system starts; 6001 offers a first-time login only where `first-login` is one. */
  actions: z.array(z.enum(['login', 'first-login', 'link'])).min(1).default(['login', 'first-login', 'link']),
  /** The system's own support: this service's support for its users. */
  support: support.optional(),
});

/** A login method: the connector's own keys (upstream/method-config.ts) and whom its users can call. */
const upstream = z.object({
  id,
  ...METHOD_KEYS,
  /** The upstream's own support (NemID support, MitID support, a 2FA helpdesk). */
  support: support.optional(),
  /** The highest NSIS level a login with the method can reach: a step-up chooser offers only methods that reach the level needed. */
  max_level: z.enum(NSIS_LEVELS).default('high'),
});

export const configSchema = z
  .object({
    server: z
      .object({
        port: z.number().int().min(0).max(65535).default(3000),
        host: z.string().default('127.0.0.1'),
        base_url: url.default('http://localhost:3000'),
        trust_proxy: trustProxy,
        production: z.boolean().default(false),
        /** After SIGTERM, readiness says shutting_down this long while requests are still served. */
        shutdown_grace_seconds: z.number().min(0).max(300).default(5),
      })
      .prefault({}),
    secrets: z.object({
      cookie_keys: z.array(longSecret).min(1),
      cpr_hmac_key: longSecret,
      /** Former CPR keys: their fingerprints still match, and are re-made with the current key when they do. */
      cpr_hmac_previous_keys: z.array(longSecret).default([]),
      /** Encrypt the signing keys at rest (first encrypts, all decrypt); default: the CPR keys, through a sub-key of their own. */
      key_encryption_keys: z.array(longSecret).min(1).optional(),
    }),
    storage: z
      .object({
        data_dir: z.string().default('data'),
        database_url: z.string().optional(),
        redis_url: z.string().optional(),
        /** Key prefix in Redis, so several deployments (or test runs) can share one server. */
        redis_prefix: z.string().regex(/^[\w:.-]{1,64}$/).default('portvagt:'),
        /** Every Redis command's time limit; one that runs out makes the instance reconnect. */
        redis_timeout_ms: z.number().int().min(100).max(60_000).default(REDIS_TIMEOUT_MS),
        /** Every PostgreSQL query's time limit: a server that stops answering fails the request (502) instead of holding it. */
        database_timeout_ms: z.number().int().min(100).max(60_000).default(5000),
      })
      .prefault({}),
    timeouts: z
      .object({
        chooser: seconds.default(900),
        upstream: seconds.default(600),
        first_login: seconds.default(600),
        link: seconds.default(600),
        link_verification: seconds.default(600),
        cpr: seconds.default(300),
        upstream_http_ms: seconds.default(5000),
      })
      .prefault({}),
    invitations: z
      .object({
        validity_days: seconds.default(14),
        max_attempts: seconds.default(5),
      })
      .prefault({}),
    /** How long audit records are kept (docs/operating.md, "What the audit log holds"): older ones are deleted by every instance. */
    audit: z.object({ retention_days: z.number().int().min(1).max(3650).default(180) }).prefault({}),
    demo: z.object({ enabled: z.boolean().default(false) }).prefault({}),
    /**
     * How invitation e-mails leave: SMTP (nodemailer), or with `outbox: true` files under
     * `<data_dir>/outbox` that the demo shows at /demo/outbox. Absent: invitations are not mailed.
     */
    smtp: z
      .object({
        outbox: z.boolean().default(false),
        host: z.string().min(1).optional(),
        port: z.number().int().min(1).max(65535).default(587),
        /** `starttls`: upgrade and require TLS (587); `tls`: TLS from the first byte (465); `none`: a local relay only. */
        tls: z.enum(['starttls', 'tls', 'none']).default('starttls'),
        /** A CA certificate file (PEM) to trust for the SMTP server, beside the system's. */
        ca_file: z.string().optional(),
        user: z.string().min(1).optional(),
        /** From PORTVAGT_SMTP_PASSWORD in production. */
        password: secret(1).optional(),
        from: z.string().min(3).default('Portvagt <noreply@localhost>'),
        timeout_ms: z.number().int().positive().default(10_000),
      })
      .optional(),
    /**
     * When the chooser marks a login method as disturbed: over the last `window_seconds`, at least
     * `min_answers` upstream answers of which at least `failure_share` were technical failures.
     */
    degraded: z
      .object({
        window_seconds: z.number().int().min(60).max(3600).default(300),
        min_answers: z.number().int().min(1).default(10),
        failure_share: z.number().gt(0).max(1).default(0.5),
        /** How often each instance re-reads the shared window and the operator's notices. */
        refresh_seconds: z.number().int().min(1).max(300).default(10),
      })
      .prefault({}),
    signing_keys: z
      .object({
        /** `keys rotate` publishes the next key at once and activates it this much later: longer than RPs cache a JWKS. */
        activation_delay_hours: z.number().min(0).default(24),
        /** How often each instance reloads the keys from the database (a rotation needs no restart). */
        refresh_seconds: z.number().int().min(1).max(60).default(30),
      })
      .prefault({}),
    tokens: z
      .object({
        /**
         * Where ID tokens say the NSIS level a login reached: `acr` (the standard claim; requests may ask
         * for a level with `acr_values`), or `loa`, a claim of Portvagt's own (docs/mitid-brokers.md, "NSIS and `acr`").
         */
        level_claim: z.enum(['acr', 'loa']).default('acr'),
      })
      .prefault({}),
    /** This deployment's support: the contact when neither the client nor the row names another. */
    support: support.optional(),
    /**
     * The deployment's accessibility statement (tilgængelighedserklæring), linked from every page's
     * footer: one address, or one per language. A public body must publish one (webtilgængelighedsloven).
     */
    accessibility_statement_url: z.union([url, z.record(z.string().regex(/^[a-z]{2}$/), url)]).optional(),
    ops: z
      .object({
        /** Serve Prometheus metrics at /metrics. */
        metrics: z.boolean().default(true),
        /** When set, /metrics needs `Authorization: Bearer <token>`. */
        metrics_token: secret(16, 'at least 16 characters').optional(),
        /** An unreachable upstream makes /readyz answer 503 (default false: reported, but still 200). */
        readiness_requires_upstreams: z.boolean().default(false),
      })
      .prefault({}),
    tenants: z.array(tenant).min(1),
    clients: z.array(client).min(1),
    upstreams: z.array(upstream).min(1),
  })
  .superRefine((config, ctx) => {
    const tenants = new Set(config.tenants.map((t) => t.id));
    const upstreams = new Set(config.upstreams.map((u) => u.id));
    unique(config.tenants.map((t) => t.id), ['tenants'], ctx);
    unique(config.clients.map((c) => c.client_id), ['clients'], ctx);
    unique(config.upstreams.map((u) => u.id), ['upstreams'], ctx);
    config.clients.forEach((c, i) => {
      if (c.client_id === ACCOUNT_CLIENT_ID) ctx.addIssue({ code: 'custom', path: ['clients', i, 'client_id'], message: `"${ACCOUNT_CLIENT_ID}" is Portvagt's own (the account page)` });
      c.tenants.forEach((t, j) => {
        if (!tenants.has(t)) ctx.addIssue({ code: 'custom', path: ['clients', i, 'tenants', j], message: `unknown tenant "${t}"` });
      });
      c.login_methods.forEach((m, j) => {
        if (!upstreams.has(m)) ctx.addIssue({ code: 'custom', path: ['clients', i, 'login_methods', j], message: `unknown upstream "${m}"` });
      });
      if (c.token_endpoint_auth_method === 'private_key_jwt' ? !c.jwks : !c.client_secret) {
        const key = c.token_endpoint_auth_method === 'private_key_jwt' ? 'jwks' : 'client_secret';
        ctx.addIssue({ code: 'custom', path: ['clients', i, key], message: `required for ${c.token_endpoint_auth_method}` });
      }
    });
    if (config.smtp && !config.smtp.outbox && !config.smtp.host) ctx.addIssue({ code: 'custom', path: ['smtp', 'host'], message: 'required unless smtp.outbox is true' });
    if (config.smtp?.user && !config.smtp.password) ctx.addIssue({ code: 'custom', path: ['smtp', 'password'], message: 'required with smtp.user (PORTVAGT_SMTP_PASSWORD)' });
    config.upstreams.forEach((u, i) => {
      const opened = openMethod(u, config.server.base_url);
      if ('problems' in opened) for (const { key, message } of opened.problems) ctx.addIssue({ code: 'custom', path: ['upstreams', i, key], message });
    });
  });

function unique(values: string[], path: (string | number)[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v)) ctx.addIssue({ code: 'custom', path: [...path, i], message: `duplicate id "${v}"` });
    seen.add(v);
  });
}

/** The configuration file as validated, in its own shape (snake_case keys, lists of entries). */
export type ConfigFile = z.infer<typeof configSchema>;
export type SupportConfig = z.infer<typeof support>;
