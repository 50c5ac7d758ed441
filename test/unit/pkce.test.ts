import * as client from 'openid-client';
import { describe, expect, it } from 'vitest';
import { pkceChallenge } from '../../src/upstream/pkce.ts';

describe('the PKCE S256 challenge', () => {
  it('is the one of RFC 7636 appendix B', () => {
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('agrees with openid-client for fresh verifiers', async () => {
    for (let i = 0; i < 20; i++) {
      const verifier = client.randomPKCECodeVerifier();
      expect(pkceChallenge(verifier)).toBe(await client.calculatePKCECodeChallenge(verifier));
    }
  });
});
