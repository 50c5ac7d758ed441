import { createRemoteJWKSet, jwtVerify } from 'jose';
import type * as client from 'openid-client';

const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/** A logout token older than this is refused: Portvagt sends it the moment the session ends (retries included, under a minute). */
const MAX_AGE_SECONDS = 120;
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Validation of a logout token as Back-Channel Logout 1.0 §2.6 asks (docs/relying-parties.md,
 * "Logout"): signed with a key of the issuer's JWKS, `typ` logout+jwt, issuer, audience the system's
 * client id, fresh `iat`, the back-channel logout event, no `nonce`, a `sid`. Answers the `sid`.
 */
export function logoutTokenVerifier(discover: () => Promise<client.Configuration>, clientId: string): (token: string) => Promise<string> {
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  return async (token) => {
    const metadata = (await discover()).serverMetadata();
    jwks ??= createRemoteJWKSet(new URL(metadata.jwks_uri!));
    const { payload } = await jwtVerify(token, jwks, {
      issuer: metadata.issuer,
      audience: clientId,
      typ: 'logout+jwt',
      maxTokenAge: MAX_AGE_SECONDS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['iat', 'jti', 'sid', 'events'],
    });
    const events = payload.events as Record<string, unknown> | undefined;
    if (typeof events !== 'object' || events === null || typeof events[BACKCHANNEL_LOGOUT_EVENT] !== 'object') throw new Error('logout token without the back-channel logout event');
    if ('nonce' in payload) throw new Error('logout token with a nonce');
    if (typeof payload.sid !== 'string') throw new Error('logout token without sid');
    return payload.sid;
  };
}
