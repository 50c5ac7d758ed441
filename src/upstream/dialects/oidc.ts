/**
 * The `oidc` dialect: an upstream that only speaks plain OAuth 2.0 / OpenID Connect errors.
 *
 * Wire format: `error=<RFC 6749 / OIDC Core code>` plus an optional free-text `error_description`.
 * There is no upstream-specific reason, so `reason()` is always undefined and every failure is
 * translated from `error` alone (see `translateErrorResponse` in index.ts). `encode` sends the
 * given value as `error`, which is how the mock upstreams fail with a plain OAuth error.
 */
import type { Dialect } from './dialect.ts';

/**
 * Error codes of RFC 6749 §4.1.2.1 and OpenID Connect Core §3.1.2.6. Other dialects use this list
 * to tell a plain OAuth `error` from an upstream's own label in the same parameter.
 */
export const OAUTH_ERROR_CODES: ReadonlySet<string> = new Set([
  'invalid_request',
  'unauthorized_client',
  'access_denied',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
  'interaction_required',
  'login_required',
  'account_selection_required',
  'consent_required',
  'invalid_request_uri',
  'invalid_request_object',
  'request_not_supported',
  'request_uri_not_supported',
  'registration_not_supported',
]);

export const oidc: Dialect = {
  name: 'oidc',
  rows: {},
  reason: () => undefined,
  key: (value) => value.trim(),
  encode: (reason) => ({ error: reason }),
};
