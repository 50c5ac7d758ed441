/**
 * A test-only OpenID Provider that behaves like an honest upstream until told otherwise: its token
 * endpoint then answers with a crafted ID token (bad signature, wrong audience, wrong nonce, expired,
 * `alg: none`, …). It logs the browser in without a page: /authorize redirects straight back.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

export type TokenMode = 'valid' | 'bad-signature' | 'wrong-aud' | 'wrong-nonce' | 'expired' | 'alg-none' | 'wrong-iss' | 'no-sub';

export const HOSTILE_SUBJECT = 'hostile-subject-0001';

export interface HostileUpstream {
  readonly issuer: string;
  /** What the token endpoint's next ID tokens look like. */
  mode: TokenMode;
  /** How many codes the token endpoint has exchanged. */
  readonly exchanged: number;
  close(): Promise<void>;
}

interface Issued {
  nonce: string;
  clientId: string;
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

export async function startHostileUpstream(): Promise<HostileUpstream> {
  const signing = await generateKeyPair('RS256', { extractable: true });
  const stranger = await generateKeyPair('RS256');
  const kid = randomUUID();
  const publicJwk: JWK = { ...(await exportJWK(signing.publicKey)), kid, alg: 'RS256', use: 'sig' };
  const codes = new Map<string, Issued>();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let exchanged = 0;

  const state = {
    issuer,
    mode: 'valid' as TokenMode,
    get exchanged() {
      return exchanged;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  async function idToken(issued: Issued): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      iss: state.mode === 'wrong-iss' ? 'https://evil.example' : issuer,
      sub: state.mode === 'no-sub' ? undefined : HOSTILE_SUBJECT,
      aud: state.mode === 'wrong-aud' ? 'someone-else' : issued.clientId,
      nonce: state.mode === 'wrong-nonce' ? 'not-the-nonce' : issued.nonce,
      iat: state.mode === 'expired' ? now - 7200 : now,
      exp: state.mode === 'expired' ? now - 3600 : now + 300,
    };
    if (state.mode === 'alg-none') return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`;
    const key = state.mode === 'bad-signature' ? stranger.privateKey : signing.privateKey;
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
  }

  const json = (res: ServerResponse, status: number, body: object) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_post'],
        authorization_response_iss_parameter_supported: true,
      });
    }
    if (url.pathname === '/jwks') return json(res, 200, { keys: [publicJwk] });
    if (url.pathname === '/authorize') {
      const code = randomBytes(16).toString('base64url');
      codes.set(code, { nonce: url.searchParams.get('nonce') ?? '', clientId: url.searchParams.get('client_id') ?? '' });
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      back.searchParams.set('iss', issuer);
      res.writeHead(303, { location: back.href }).end();
      return;
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += String(chunk);
      const code = new URLSearchParams(body).get('code') ?? '';
      const issued = codes.get(code);
      codes.delete(code);
      if (!issued) return json(res, 400, { error: 'invalid_grant' });
      exchanged++;
      return json(res, 200, { access_token: randomBytes(16).toString('base64url'), token_type: 'Bearer', expires_in: 300, id_token: await idToken(issued) });
    }
    json(res, 404, { error: 'not_found' });
  }

  server.on('request', (req, res) => void handle(req, res));
  return state;
}
