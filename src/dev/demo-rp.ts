import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import * as client from 'openid-client';
import { textColorOn } from '../http/brand-colors.ts';
import { hasKey, translate } from '../i18n/i18n.ts';
import { cspNonce } from '../http/csp.ts';
import { views } from '../views.ts';
import { logoutTokenVerifier } from './logout-token.ts';

interface PendingLogin {
  nonce: string;
  verifier: string;
}

type DemoResult =
  /** Logged in: the claims shown, the ID token as the logout's hint, its `sid` for a back-channel logout. */
  | { claims: Record<string, unknown>; idToken: string; sid?: string | undefined }
  | { error: string; description?: string | undefined; message: string }
  /** Logged out by the user here, or by Portvagt's back-channel logout (the user logged out elsewhere). */
  | { loggedOut: 'here' | 'elsewhere' };

interface DemoVisit {
  /** One pending login per `state`, so two tabs of one browser each finish their own login. */
  logins: Map<string, PendingLogin>;
  result?: DemoResult;
}

/** A browser keeps at most this many logins open at once; the oldest goes first. */
const MAX_PENDING = 10;

/** What the system tells its user about an OAuth error from Portvagt, in words (docs/relying-parties.md, "What the system receives"). */
export function rpErrorMessage(error: string, description: string | undefined, system = 'IMS'): string {
  if (description === 'Portvagt user cancelled') return `Du annullerede login og er tilbage i ${system}.`;
  const code = /^Portvagt error (\d+)$/.exec(description ?? '')?.[1];
  // The system does not know which method failed: the title names it in general words.
  const vars = { method: translate('da', 'ui.errorPage.yourMethod'), system };
  if (code && hasKey('da', `codes.${code}.title`)) return `Login blev afbrudt med Portvagts fejlkode ${code}: ${translate('da', `codes.${code}.title`, vars)}`;
  return `Login mislykkedes (${error}).`;
}

/** A fresh upstream login the form asks for, as a system does before a sensitive step: `prompt=login`, `max_age`. */
function freshLoginParams(body: Record<string, unknown> | undefined): Record<string, string> {
  return {
    ...(body?.prompt === 'login' ? { prompt: 'login' } : {}),
    ...(typeof body?.max_age === 'string' && /^\d{1,6}$/.test(body.max_age) ? { max_age: body.max_age } : {}),
  };
}

/** A demo system's own words: its name in its pages' heading and its one-line description. */
export interface DemoSystemText {
  title: string;
  intro: string;
}

export interface DemoRpOptions extends DemoSystemText {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Where the system lives beside the broker, e.g. `/demo`: its page, callback, logout and back-channel address. */
  path: string;
  color?: string | undefined;
  tenant?: string | undefined;
  /** The tenant's other demo systems, linked from this one's page to try single sign-on. */
  others: readonly { title: string; path: string }[];
}

/**
 * A demo relying party (docs/relying-parties.md): a real OIDC client of Portvagt (openid-client over
 * HTTP), the way an HR or case system logs its users in and out, with its own server-side sessions
 * that a back-channel logout ends.
 */
export function demoRpRoutes(options: DemoRpOptions): Router {
  const { path, title } = options;
  const router = express.Router();
  // The demo system is another application: its own cookie and memory, never Portvagt's session.
  const cookie = `demo_rp_${options.clientId.replace(/\W/g, '_')}`;
  const cookiePattern = new RegExp(`(?:^|;\\s*)${cookie}=([\\w-]{20,})`);
  const visits = new Map<string, DemoVisit>();
  const visit = (req: Request, res: Response): DemoVisit => {
    let id = cookiePattern.exec(req.get('cookie') ?? '')?.[1];
    if (!id || !visits.has(id)) {
      id = randomBytes(18).toString('base64url');
      visits.set(id, { logins: new Map() });
      res.cookie(cookie, id, { httpOnly: true, sameSite: 'lax', path });
    }
    return visits.get(id)!;
  };
  const home = `${options.baseUrl}${path}`;
  const redirectUri = `${home}/callback`;
  let configuration: Promise<client.Configuration> | undefined;
  const discover = () => {
    configuration ??= client.discovery(new URL(options.baseUrl), options.clientId, options.clientSecret, undefined, {
      execute: options.baseUrl.startsWith('http:') ? [client.allowInsecureRequests] : [],
    });
    configuration.catch(() => (configuration = undefined));
    return configuration;
  };
  const verifyLogoutToken = logoutTokenVerifier(discover, options.clientId);
  const failure = (error: unknown) => {
    const e = error as { error?: string; error_description?: string; message?: string };
    const description = e.error_description ?? e.message;
    return { error: e.error ?? 'login_failed', description, message: rpErrorMessage(e.error ?? 'login_failed', description, title) };
  };
  const page = {
    title,
    intro: options.intro,
    path,
    others: options.others,
    color: options.color,
    textColor: options.color ? textColorOn(options.color) : undefined,
    // Where a system links its users to manage their own login methods (docs/account-page.md).
    account: `${options.baseUrl}/account?${new URLSearchParams({ system: options.clientId }).toString()}`,
  };

  router.get(path, (req, res) => {
    const { result } = visit(req, res);
    res.type('html').set('Cache-Control', 'no-store').send(views.render('demo', { ...page, result, nonce: cspNonce(res) }));
  });

  router.post(`${path}/start`, express.urlencoded({ extended: false, limit: '2kb' }), async (req, res) => {
    try {
      const action = ['login', 'first-login', 'link'].includes(req.body?.action) ? String(req.body.action) : 'login';
      const config = await discover();
      const demo = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier() };
      const { logins } = visit(req, res);
      logins.set(demo.state, { nonce: demo.nonce, verifier: demo.verifier });
      if (logins.size > MAX_PENDING) logins.delete(logins.keys().next().value!);
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid profile email',
        state: demo.state,
        nonce: demo.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(demo.verifier),
        code_challenge_method: 'S256',
        action,
        ...(options.tenant ? { tenant: options.tenant } : {}),
        ...freshLoginParams(req.body),
      });
      res.redirect(303, url.href);
    } catch (error) {
      // Portvagt not reachable from the system (discovery failed): the system's page says so, as a real one would.
      visit(req, res).result = failure(error);
      res.redirect(303, path);
    }
  });

  router.get(`${path}/callback`, async (req, res) => {
    const current = visit(req, res);
    const state = typeof req.query.state === 'string' ? req.query.state : '';
    const demo = current.logins.get(state);
    current.logins.delete(state);
    try {
      if (!demo) throw new Error('no login in progress for this state');
      const config = await discover();
      const tokens = await client.authorizationCodeGrant(config, new URL(req.originalUrl, options.baseUrl), {
        pkceCodeVerifier: demo.verifier,
        expectedState: state,
        expectedNonce: demo.nonce,
      });
      const claims = { ...tokens.claims() };
      current.result = { claims, idToken: tokens.id_token!, sid: typeof claims.sid === 'string' ? claims.sid : undefined };
    } catch (error) {
      current.result = failure(error);
    }
    res.redirect(303, path);
  });

  // RP-initiated logout: the system ends its own session, then Portvagt's with the ID token as hint.
  router.post(`${path}/logout`, async (req, res, next) => {
    try {
      const current = visit(req, res);
      const idToken = current.result && 'idToken' in current.result ? current.result.idToken : undefined;
      current.result = { loggedOut: 'here' };
      if (!idToken) return res.redirect(303, path);
      const url = client.buildEndSessionUrl(await discover(), { id_token_hint: idToken, post_logout_redirect_uri: home });
      res.redirect(303, url.href);
    } catch (error) {
      next(error);
    }
  });

  // Back-channel logout (OpenID Connect Back-Channel Logout 1.0): Portvagt says a session ended; every login of it here ends too.
  router.post(`${path}/backchannel`, express.urlencoded({ extended: false, limit: '8kb' }), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const token = typeof req.body?.logout_token === 'string' ? req.body.logout_token : '';
    const sid = await verifyLogoutToken(token).catch(() => undefined);
    if (!sid) return res.status(400).json({ error: 'invalid_request', error_description: 'logout_token is not valid' });
    for (const v of visits.values()) {
      if (v.result && 'sid' in v.result && v.result.sid === sid) v.result = { loggedOut: 'elsewhere' };
    }
    res.status(200).end();
  });

  return router;
}
