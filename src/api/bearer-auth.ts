import type { NextFunction, Request, Response } from 'express';
import type Provider from 'oidc-provider';
import type { Client, Config } from '../config/model.ts';
import { MANAGEMENT_SCOPE } from '../provider/provider.ts';
import { ApiError } from './api-error.ts';

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]{1,512}=*)$/i;

const invalidToken = (description: string) =>
  new ApiError(401, 'invalid_token', description, { 'www-authenticate': `Bearer realm="portvagt", error="invalid_token"` });

/** The management client behind a request, set by requireManagementToken. */
export function managementClient(res: Response): Client {
  return res.locals.managementClient as Client;
}

/**
 * Accepts only client-credentials access tokens Portvagt issued, unexpired, carrying the management
 * scope, of a client that is still enabled and still configured for that scope.
 */
export function requireManagementToken(config: Config, provider: Provider) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.get('authorization');
    if (!header) {
      throw new ApiError(401, 'invalid_token', 'a bearer access token is required', { 'www-authenticate': 'Bearer realm="portvagt"' });
    }
    const value = BEARER.exec(header)?.[1];
    const token = value ? await provider.ClientCredentials.find(value) : undefined;
    if (!token || token.isExpired) throw invalidToken('the access token is unknown or expired');
    const client = token.clientId ? config.clients.get(token.clientId) : undefined;
    if (!client?.enabled) throw invalidToken('the access token belongs to no enabled client');
    if (!token.scopes.has(MANAGEMENT_SCOPE) || !client.managementScopes.includes(MANAGEMENT_SCOPE)) {
      throw new ApiError(403, 'insufficient_scope', `the access token lacks the scope ${MANAGEMENT_SCOPE}`, {
        'www-authenticate': `Bearer realm="portvagt", error="insufficient_scope", scope="${MANAGEMENT_SCOPE}"`,
      });
    }
    res.locals.managementClient = client;
    next();
  };
}
