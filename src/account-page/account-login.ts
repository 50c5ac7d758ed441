import { createHash, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ACCOUNT_CLIENT_ID } from '../config/model.ts';
import { browserId } from '../http/browser-cookies.ts';
import type { PageTokens } from '../http/page-token.ts';
import type { AccountPlace } from './account-place.ts';

/**
 * The account page's own login (docs/account-page.md, "Logging in"): an authorization request of
 * Portvagt's own client, so the user meets the chooser, the upstream and the release rules as at any
 * system, and the release puts the login into the broker session the page reads. What the page goes
 * on with afterwards rides in `state`, bound to this browser.
 */

/** What the page goes on with after its login: where the user was, and what the login was for. */
const continuation = z.object({
  system: z.string().max(100).optional(),
  tenant: z.string().max(64).optional(),
  action: z.enum(['login', 'link']),
  /** A method whose removal waited for this login. */
  remove: z.string().max(64).optional(),
  /** When the login began: a link flow's methods linked since then are the ones to announce. */
  at: z.number(),
});
export type Continuation = z.infer<typeof continuation>;

export interface LoginStart {
  action: 'login' | 'link';
  /** Log in anew (`prompt=login`) with this method: the fresh login a removal needs. */
  freshWith?: string | undefined;
  remove?: string | undefined;
}

/** Redirects the browser to the authorization endpoint as Portvagt's own client, for `place`'s tenant. */
export function startAccountLogin(deps: { tokens: PageTokens; baseUrl: string; clock: () => number }, req: Request, res: Response, place: AccountPlace & { tenant: string }, start: LoginStart): void {
  const carried: Continuation = { system: place.system, tenant: place.tenant, action: start.action, remove: start.remove, at: deps.clock() };
  const state = deps.tokens.accountState(browserId(req), Buffer.from(JSON.stringify(carried)).toString('base64url'));
  // PKCE is required of every client; the page never redeems its code at the token endpoint, so the verifier is not kept.
  const challenge = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
  const params = new URLSearchParams({
    client_id: ACCOUNT_CLIENT_ID,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: `${deps.baseUrl}/account/callback`,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    tenant: place.tenant,
    action: start.action,
    ...(start.freshWith ? { prompt: 'login', login_method: start.freshWith } : {}),
  });
  res.redirect(303, `/auth?${params.toString()}`);
}

/** What a callback's `state` carries, if this browser was given it; undefined for any other. */
export function continuationOf(tokens: PageTokens, req: Request): Continuation | undefined {
  const state = typeof req.query.state === 'string' ? req.query.state : '';
  const payload = tokens.accountStatePayload(state, browserId(req));
  if (!payload) return undefined;
  try {
    const parsed = continuation.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
