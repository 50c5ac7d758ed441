import type { Configuration } from 'oidc-provider';

/**
 * What Portvagt offers systems beyond the code flow, each chosen rather than left at oidc-provider's
 * defaults, so that discovery advertises only what is configured and tested (docs/relying-parties.md,
 * "What a system may use").
 */
export const OP_SURFACE = {
  // The three a client can be configured with (docs/configuration.md, `clients[]`); no shared-secret
  // JWT, no public clients.
  clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
  enabledJWA: {
    // private_key_jwt with an RSA or a P-256 key; HS256 served only client_secret_jwt.
    clientAuthSigningAlgValues: ['RS256', 'ES256'],
    // Portvagt's signing keys are RSA keys (src/provider/signing-keys.ts).
    idTokenSigningAlgValues: ['RS256'],
  },
} satisfies Configuration;

export const OP_SURFACE_FEATURES = {
  // Kept: a system may push its authorization request (RFC 9126), Portvagt's own parameters included.
  pushedAuthorizationRequests: { enabled: true },
  // Off: the management API takes bearer tokens only, so a sender-constrained token would be bound
  // at userinfo and not there.
  dPoP: { enabled: false },
} satisfies Configuration['features'];
