import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import type * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logoutTokenVerifier } from '../../src/dev/logout-token.ts';

const EVENT = { 'http://schemas.openid.net/event/backchannel-logout': {} };
let server: Server;
let issuer: string;
let sign: (payload: JWTPayload, typ?: string) => Promise<string>;
let verify: (token: string) => Promise<string>;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] });
  server = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(jwks));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const metadata = { issuer, jwks_uri: `${issuer}/jwks` };
  verify = logoutTokenVerifier(async () => ({ serverMetadata: () => metadata }) as unknown as client.Configuration, 'sagssystem');
  sign = (payload, typ = 'logout+jwt') => new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: 'k1', typ }).sign(privateKey);
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const valid = (): JWTPayload => ({ iss: issuer, aud: 'sagssystem', iat: Math.floor(Date.now() / 1000), jti: 'j1', sid: 'session-1', sub: 'account-1', events: EVENT });

describe("the demo system's check of a logout token", () => {
  it('answers the sid of a token Back-Channel Logout 1.0 accepts', async () => {
    expect(await verify(await sign(valid()))).toBe('session-1');
  });

  it.each([
    ['another audience', { aud: 'demo' }],
    ['another issuer', { iss: 'http://elsewhere.example' }],
    ['a nonce (an ID token, not a logout token)', { nonce: 'n' }],
    ['no sid', { sid: undefined }],
    ['no logout event', { events: {} }],
    ['an iat ten minutes old', { iat: Math.floor(Date.now() / 1000) - 600 }],
  ])('refuses a token with %s', async (_what, change) => {
    await expect(verify(await sign({ ...valid(), ...change }))).rejects.toThrow();
  });

  it('refuses a signed ID token (typ JWT) passed off as a logout token', async () => {
    await expect(verify(await sign(valid(), 'JWT'))).rejects.toThrow();
  });
});
