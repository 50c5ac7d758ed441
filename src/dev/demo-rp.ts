import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import * as client from 'openid-client';
import { hasKey, translate } from '../i18n/i18n.ts';
import { cspNonce } from '../http/csp.ts';
import { views } from '../views.ts';

interface PendingLogin {
  nonce: string;
  verifier: string;
}

interface DemoVisit {
  /** One pending login per `state`, so two tabs of one browser each finish their own login. */
  logins: Map<string, PendingLogin>;
  result?: { claims: Record<string, unknown> } | { error: string; description?: string | undefined; message: string };
}

/** A browser keeps at most this many logins open at once; the oldest goes first. */
const MAX_PENDING = 10;

/** What the system tells its user about an OAuth error from Portvagt, in words (docs/relying-parties.md, "What the system receives"). */
export function rpErrorMessage(error: string, description: string | undefined): string {
  if (description === 'Portvagt user cancelled') return 'Du annullerede login og er tilbage i IMS.';
  const code = /^Portvagt error (\d+)$/.exec(description ?? '')?.[1];
  // The system does not know which method failed: the title names it in general words.
  const vars = { method: translate('da', 'ui.errorPage.yourMethod'), system: 'IMS' };
  if (code && hasKey('da', `codes.${code}.title`)) return `Login blev afbrudt med Portvagts fejlkode ${code}: ${translate('da', `codes.${code}.title`, vars)}`;
  return `Login mislykkedes (${error}).`;
}

const COOKIE = 'demo_rp';

export interface DemoRpOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  tenant?: string | undefined;
}

/**
 * The demo relying party at /demo: a real OIDC client of Portvagt (openid-client over HTTP), the way
 * an HR or case system would log its users in.
 */
export function demoRpRoutes(options: DemoRpOptions): Router {
  const router = express.Router();
  // The demo system is another application: its own cookie and memory, never Portvagt's session.
  const visits = new Map<string, DemoVisit>();
  const visit = (req: Request, res: Response): DemoVisit => {
    let id = /(?:^|;\s*)demo_rp=([\w-]{20,})/.exec(req.get('cookie') ?? '')?.[1];
    if (!id || !visits.has(id)) {
      id = randomBytes(18).toString('base64url');
      visits.set(id, { logins: new Map() });
      res.cookie(COOKIE, id, { httpOnly: true, sameSite: 'lax', path: '/demo' });
    }
    return visits.get(id)!;
  };
  const redirectUri = `${options.baseUrl}/demo/callback`;
  let configuration: Promise<client.Configuration> | undefined;
  const discover = () => {
    configuration ??= client.discovery(new URL(options.baseUrl), options.clientId, options.clientSecret, undefined, {
      execute: options.baseUrl.startsWith('http:') ? [client.allowInsecureRequests] : [],
    });
    configuration.catch(() => (configuration = undefined));
    return configuration;
  };

  router.get('/demo', (req, res) => {
    const { result } = visit(req, res);
    res.type('html').set('Cache-Control', 'no-store').send(views.render('demo', { result, nonce: cspNonce(res) }));
  });

  router.post('/demo/start', express.urlencoded({ extended: false, limit: '2kb' }), async (req, res, next) => {
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
      });
      res.redirect(303, url.href);
    } catch (error) {
      next(error);
    }
  });

  router.get('/demo/callback', async (req, res) => {
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
      current.result = { claims: { ...tokens.claims() } };
    } catch (error) {
      const e = error as { error?: string; error_description?: string; message?: string };
      const description = e.error_description ?? e.message;
      current.result = { error: e.error ?? 'login_failed', description, message: rpErrorMessage(e.error ?? 'login_failed', description) };
    }
    res.redirect(303, '/demo');
  });

  return router;
}
