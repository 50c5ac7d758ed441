import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { accessSync, chmodSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../support/ports.ts';

/**
 * A real relying party for the tests: Apache httpd with mod_auth_openidc, both from Debian's packages
 * (`apt-get install apache2 libapache2-mod-auth-openidc`, as .ci/run does). One Apache process serves
 * one virtual host per site, each site its own Portvagt client on its own port. Everything Apache
 * writes (pid, logs, shared memory cache, mutexes) stays in a temp dir removed at stop.
 */

const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';
const INSTALL = 'apt-get install apache2 libapache2-mod-auth-openidc';

export type TokenEndpointAuth = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';

export interface SiteSpec {
  /** The site's Portvagt client id. */
  clientId: string;
  auth: TokenEndpointAuth;
  /** More settings of the Portvagt client (e.g. `backchannel_logout_uri`, the module's `redirectUri` with `logout=backchannel`). */
  client?: (site: Site) => Record<string, unknown>;
  /** More mod_auth_openidc directives of the site's virtual host, after the recommended ones. */
  directives?: (site: Site) => string[];
}

/** One virtual host of the RP: its addresses and its Portvagt client. */
export interface Site {
  spec: SiteSpec;
  port: number;
  base: string;
  /** The protected page: it shows the claims mod_auth_openidc hands the application. */
  protectedUrl: string;
  /** mod_auth_openidc's redirect URI (OIDCRedirectURI), also its logout and back-channel address. */
  redirectUri: string;
  /** An unprotected page where a logout lands. */
  loggedOutUrl: string;
  /** The module's logout: ends its own session, then Portvagt's via `end_session_endpoint`. */
  logoutUrl: string;
  secret: string | undefined;
  /** The public half of a private_key_jwt site's key, for Portvagt's `jwks`. */
  jwk: Record<string, unknown> | undefined;
  privateKeyPem: string | undefined;
  publicKeyPem: string | undefined;
}

/** Sites with ports and keys, not yet running: Portvagt's config needs their addresses first. */
export async function planSites(specs: SiteSpec[]): Promise<Site[]> {
  const sites: Site[] = [];
  for (const spec of specs) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const redirectUri = `${base}/protected/redirect_uri`;
    const loggedOutUrl = `${base}/logged-out.html`;
    const keys = spec.auth === 'private_key_jwt' ? rsaKeys(`${spec.clientId}-key`) : undefined;
    sites.push({
      spec,
      port,
      base,
      protectedUrl: `${base}/protected/claims.shtml`,
      redirectUri,
      loggedOutUrl,
      logoutUrl: `${redirectUri}?logout=${encodeURIComponent(loggedOutUrl)}`,
      secret: keys ? undefined : `${spec.clientId}-secret-0123456789`,
      jwk: keys?.jwk,
      privateKeyPem: keys?.privateKeyPem,
      publicKeyPem: keys?.publicKeyPem,
    });
  }
  return sites;
}

function rsaKeys(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' },
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/** The site's entry for Portvagt's `clients[]`: one login method (MitID) in tenant acme. */
export function portvagtClient(site: Site): Record<string, unknown> {
  return {
    client_id: site.spec.clientId,
    display_name: `Apache ${site.spec.clientId}`,
    token_endpoint_auth_method: site.spec.auth,
    ...(site.secret ? { client_secret: site.secret } : { jwks: { keys: [site.jwk] } }),
    redirect_uris: [site.redirectUri],
    post_logout_redirect_uris: [site.loggedOutUrl],
    tenants: ['acme'],
    login_methods: ['mitid'],
    ...site.spec.client?.(site),
  };
}

/**
 * The directives docs/relying-parties.md recommends for a site ("mod_auth_openidc (Apache)"):
 * PKCE (Portvagt requires S256; the module's default is none) and `form_post`, without which the
 * module takes an error answer carrying `iss` for a third-party-initiated login.
 */
function recommendedDirectives(site: Site, issuer: string, dir: string): string[] {
  const auth = site.spec.auth;
  return [
    `OIDCProviderMetadataURL ${issuer}/.well-known/openid-configuration`,
    `OIDCClientID ${site.spec.clientId}`,
    ...(site.secret ? [`OIDCClientSecret ${site.secret}`] : [
      `OIDCPrivateKeyFiles ${site.jwk!.kid}#${join(dir, `${site.spec.clientId}.key.pem`)}`,
      `OIDCPublicKeyFiles ${site.jwk!.kid}#${join(dir, `${site.spec.clientId}.pub.pem`)}`,
    ]),
    `OIDCProviderTokenEndpointAuth ${auth}`,
    `OIDCRedirectURI ${site.redirectUri}`,
    'OIDCScope "openid profile email"',
    'OIDCPKCEMethod S256',
    'OIDCResponseMode form_post',
    'OIDCPassUserInfoAs json',
    // The application's own page for the OP's errors, with the module's title and Portvagt's description.
    `OIDCHTMLErrorTemplate ${join(dir, 'error-template.html')}`,
    `OIDCCryptoPassphrase ${site.spec.clientId}-passphrase-0123456789`,
  ];
}

export interface ApacheRp {
  site(clientId: string): Site;
  /** Apache's error log so far (mod_auth_openidc logs there). */
  errorLog(): string;
  stop(): Promise<void>;
}

/** Fails with the install command when Apache or the module is missing: a missing RP must not pass. */
function requireApache(): void {
  for (const file of [APACHE, join(MODULES, 'mod_auth_openidc.so')]) {
    try {
      accessSync(file, constants.R_OK);
    } catch {
      throw new Error(`${file} is missing: the mod_auth_openidc tests need Debian's Apache and module (${INSTALL})`);
    }
  }
}

// The claims the application sees, as mod_auth_openidc passes them in its environment (SSI echoes them).
const CLAIMS_PAGE = ['sub', 'tenant', 'preferred_username', 'amr']
  .map((claim) => `<p>${claim}=<!--#echo var="OIDC_CLAIM_${claim}" --></p>`)
  .concat('<pre id="userinfo"><!--#echo encoding="none" var="OIDC_userinfo_json" --></pre>')
  .join('\n');

/** The module fills in its error title and the description, HTML-escaped, for the two `%s`. */
const ERROR_TEMPLATE = '<!DOCTYPE html>\n<title>Login stopped</title>\n<h1>Login stopped</h1>\n<p id="error">%s</p>\n<p id="description">%s</p>\n';

/** Starts Apache in the foreground with one virtual host per site, its OP the Portvagt at `issuer`. */
export async function startApacheRp(sites: Site[], issuer: string): Promise<ApacheRp> {
  requireApache();
  const dir = mkdtempSync(join(tmpdir(), 'portvagt-apache-'));
  // Apache started as root serves from a non-root user, which must read the pages.
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'htdocs', 'protected'), { recursive: true });
  writeFileSync(join(dir, 'htdocs', 'protected', 'claims.shtml'), `<!DOCTYPE html>\n<title>Claims</title>\n${CLAIMS_PAGE}\n`);
  writeFileSync(join(dir, 'error-template.html'), ERROR_TEMPLATE);
  writeFileSync(join(dir, 'htdocs', 'logged-out.html'), '<!DOCTYPE html>\n<title>Logged out</title>\n<p>Logged out of the Apache RP</p>\n');
  for (const site of sites) {
    if (!site.privateKeyPem) continue;
    writeFileSync(join(dir, `${site.spec.clientId}.key.pem`), site.privateKeyPem, { mode: 0o600 });
    writeFileSync(join(dir, `${site.spec.clientId}.pub.pem`), site.publicKeyPem!);
  }
  writeFileSync(join(dir, 'httpd.conf'), httpdConf(dir, sites, issuer));

  const apache = spawn(APACHE, ['-d', dir, '-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], {
    // The module's shared-memory mutex files go to the temp dir, as everything else Apache writes.
    env: { PATH: process.env.PATH, TMPDIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  apache.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  apache.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const errorLog = () => {
    try {
      return readFileSync(join(dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  try {
    await untilListening(apache, sites, () => `${output}${errorLog()}`);
  } catch (error) {
    await stopProcess(apache);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    site(clientId) {
      const site = sites.find((s) => s.spec.clientId === clientId);
      if (!site) throw new Error(`no Apache site for ${clientId}`);
      return site;
    },
    errorLog,
    async stop() {
      await stopProcess(apache);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function httpdConf(dir: string, sites: Site[], issuer: string): string {
  const modules = ['mpm_event', 'authn_core', 'authz_core', 'authz_user', 'include', 'auth_openidc'];
  const runAs = process.getuid?.() === 0 ? ['User www-data', 'Group www-data'] : [];
  return [
    ...modules.map((m) => `LoadModule ${m}_module ${MODULES}/mod_${m}.so`),
    `ServerRoot ${dir}`,
    `DefaultRuntimeDir ${dir}`,
    `PidFile ${join(dir, 'httpd.pid')}`,
    `ErrorLog ${join(dir, 'error.log')}`,
    'LogLevel warn auth_openidc:info',
    'ServerName 127.0.0.1',
    ...runAs,
    `DocumentRoot ${join(dir, 'htdocs')}`,
    `<Directory ${join(dir, 'htdocs')}>`,
    '  Require all granted',
    '</Directory>',
    ...sites.flatMap((site) => [
      `Listen 127.0.0.1:${site.port}`,
      `<VirtualHost 127.0.0.1:${site.port}>`,
      `  ServerName 127.0.0.1:${site.port}`,
      ...recommendedDirectives(site, issuer, dir).map((d) => `  ${d}`),
      ...(site.spec.directives?.(site) ?? []).map((d) => `  ${d}`),
      '  <Location /protected>',
      '    AuthType openid-connect',
      '    Require valid-user',
      '    Options +Includes',
      '    SetOutputFilter INCLUDES',
      '  </Location>',
      '</VirtualHost>',
    ]),
    '',
  ].join('\n');
}

async function untilListening(apache: ChildProcess, sites: Site[], output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (apache.exitCode !== null) throw new Error(`Apache exited with ${apache.exitCode}:\n${output()}`);
    const answers = await Promise.all(sites.map((s) => fetch(s.loggedOutUrl).then((r) => r.ok, () => false)));
    if (answers.every(Boolean)) return;
    if (Date.now() > deadline) throw new Error(`Apache did not answer within 10 s:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** SIGTERM stops Apache and its children at once; it exits when they are gone. */
async function stopProcess(apache: ChildProcess): Promise<void> {
  if (apache.exitCode !== null || apache.signalCode !== null) return;
  const exited = new Promise((resolve) => apache.once('exit', resolve));
  apache.kill('SIGTERM');
  await exited;
}
