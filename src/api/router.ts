import express, { type Request, type Response, type Router } from 'express';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import type { Account, AccountRepository } from '../accounts/accounts.ts';
import type { AuditLog } from '../outcomes/audit-log.ts';
import type { InvitationRepository } from '../accounts/invitations.ts';
import type { Config } from '../config/model.ts';
import type { Logger } from '../logger.ts';
import { ApiError, apiErrorHandler } from './api-error.ts';
import { managementClient, requireManagementToken } from './bearer-auth.ts';
import { DuplicateUsernameError, ManagementOperations, newAccountSchema, type Actor } from '../accounts/management.ts';
import { InvitationMailRefused, type InvitationMailer } from '../mail/invitation-mail.ts';
import { storableText } from '../store/storable-text.ts';
import { accountView, linkView, sessionView } from './views.ts';
import type { Clock } from '../clock.ts';
import { deleteAccount, removeMethod, setAccountStatus } from '../provider/account-changes.ts';
import { revokeAccountSessions } from '../provider/session-revocation.ts';
import { sessionsOf } from '../sessions/session-index.ts';
import type { EphemeralStore } from '../store/ephemeral/ephemeral-store.ts';

export interface ManagementApiDeps {
  config: Config;
  provider: Provider;
  accounts: AccountRepository;
  invitations: InvitationRepository;
  audit: AuditLog;
  log: Logger;
  mailer: InvitationMailer;
  /** The ephemeral store the broker sessions live in, and the clock their deadlines are read on. */
  store: EphemeralStore;
  clock: Clock;
}

const tenantQuery = z.object({ tenant: z.string().min(1).max(64).optional() });
/** `send: true` mails the invitation in the name of `client_id` (default: the calling client). */
const invitationRequest = z.object({
  send: z.boolean().default(false),
  client_id: z.string().min(1).max(100).optional(),
  locale: z.string().regex(/^[a-z]{2}$/).default('da'),
});

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
  throw new ApiError(400, 'invalid_request', problems.join('; '));
}

/** The management API at /api/v1: accounts and invitations of the tenants the calling client may manage. */
export function managementApi(deps: ManagementApiDeps): Router {
  const router = express.Router();
  const ops = new ManagementOperations(deps);

  const actor = (res: Response): Actor => ({ via: 'api', clientId: managementClient(res).id });
  const sessionDeps = { provider: () => Promise.resolve(deps.provider), store: deps.store, ops, clock: deps.clock };
  const allowTenant = (res: Response, tenant: string) => {
    if (!managementClient(res).tenants.includes(tenant)) throw new ApiError(403, 'forbidden', `this client may not manage tenant "${tenant}"`);
  };
  // Accounts of tenants the client may not manage are "not found": their existence is not its business.
  const accountOf = async (req: Request, res: Response): Promise<Account> => {
    const id = String(req.params.id);
    const account = storableText(id) ? await deps.accounts.find(id) : undefined;
    if (!account || !managementClient(res).tenants.includes(account.tenant)) throw new ApiError(404, 'not_found', 'no such account');
    return account;
  };
  const changed = (res: Response, reference: string, event: string) => {
    res.set('x-portvagt-reference', reference);
    deps.log.info({ event: `manage.${event}`, clientId: managementClient(res).id, reference }, 'management change');
  };

  router.use((_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });
  router.use(requireManagementToken(deps.config, deps.provider));
  router.use(express.json({ limit: '10kb' }));

  router.post('/accounts', async (req, res) => {
    const input = parse(newAccountSchema, req.body);
    allowTenant(res, input.tenant);
    try {
      const { account, reference } = await ops.createAccount(input, actor(res));
      changed(res, reference, 'account.create');
      res.status(201).json(accountView(account));
    } catch (error) {
      if (error instanceof DuplicateUsernameError) throw new ApiError(409, 'conflict', error.message);
      throw error;
    }
  });

  router.get('/accounts', async (req, res) => {
    const { tenant } = parse(tenantQuery, req.query);
    if (tenant) allowTenant(res, tenant);
    const tenants = tenant ? [tenant] : managementClient(res).tenants;
    const accounts = (await Promise.all(tenants.map((t) => deps.accounts.list(t)))).flat();
    res.json({ accounts: accounts.map(accountView) });
  });

  router.post('/accounts/:id/invitations', async (req, res) => {
    const account = await accountOf(req, res);
    const request = parse(invitationRequest, req.body);
    const mail = request.send ? { clientId: request.client_id ?? managementClient(res).id, locale: request.locale } : undefined;
    let issued;
    try {
      issued = await ops.issueInvitation(account, actor(res), mail);
    } catch (error) {
      if (error instanceof InvitationMailRefused) throw new ApiError(400, 'invalid_request', error.message);
      throw error;
    }
    changed(res, issued.reference, 'invitation.issue');
    const invitation = { account_id: account.id, username: account.username, expires_at: new Date(issued.expiresAt).toISOString() };
    if (!issued.mail) return void res.status(201).json({ ...invitation, password: issued.password });
    if (issued.mail.sent) return void res.status(201).json({ ...invitation, sent_to: issued.mail.to });
    // The invitation is valid: the caller gets its password to hand over another way, or issues a new one.
    res.status(502).json({
      error: 'mail_failed',
      error_description: `the invitation e-mail could not be sent (${issued.mail.reason}); the invitation is valid`,
      ...invitation,
      password: issued.password,
    });
  });

  router.delete('/accounts/:id/invitations', async (req, res) => {
    const account = await accountOf(req, res);
    const { revoked, reference } = await ops.revokeInvitations(account, actor(res));
    changed(res, reference, 'invitation.revoke');
    res.json({ account_id: account.id, revoked });
  });

  router.get('/accounts/:id/sessions', async (req, res) => {
    const account = await accountOf(req, res);
    res.json({ account_id: account.id, sessions: (await sessionsOf(deps.store, account.id, deps.clock())).map(sessionView) });
  });

  const revoke = async (req: Request, res: Response, only?: string) => {
    const account = await accountOf(req, res);
    const revoked = await revokeAccountSessions(sessionDeps, account, actor(res), (s) => only === undefined || s.id === only);
    if (only !== undefined && !revoked.revoked) throw new ApiError(404, 'not_found', 'no such session');
    if (revoked.reference) changed(res, revoked.reference, 'session.revoke');
    res.json({ account_id: account.id, revoked: revoked.revoked });
  };
  router.delete('/accounts/:id/sessions', (req, res) => revoke(req, res));
  router.delete('/accounts/:id/sessions/:session', (req, res) => revoke(req, res, String(req.params.session)));

  for (const [verb, status] of [['disable', 'disabled'], ['enable', 'active']] as const) {
    router.post(`/accounts/:id/${verb}`, async (req, res) => {
      const account = await accountOf(req, res);
      changed(res, await setAccountStatus(sessionDeps, account, status, actor(res)), `account.${verb}`);
      res.json(accountView({ ...account, status }));
    });
  }

  router.delete('/accounts/:id', async (req, res) => {
    const account = await accountOf(req, res);
    changed(res, await deleteAccount(sessionDeps, account, actor(res)), 'account.delete');
    res.json({ account_id: account.id, deleted: true });
  });

  router.delete('/accounts/:id/links/:method', async (req, res) => {
    const account = await accountOf(req, res);
    const method = String(req.params.method);
    const { outcome, reference } = await removeMethod(sessionDeps, account, method, req.query.force === 'true', actor(res));
    if (outcome === 'not-found') throw new ApiError(404, 'not_found', `the account has no "${method}" login`);
    if (outcome === 'last-method') throw new ApiError(409, 'conflict', `"${method}" is the account's last login method; ?force=true removes it anyway`);
    changed(res, reference!, 'link.remove');
    res.json({ account_id: account.id, method, removed: true });
  });

  router.get('/accounts/:id/links', async (req, res) => {
    const account = await accountOf(req, res);
    res.json({ account_id: account.id, links: (await deps.accounts.links(account.id)).map(linkView) });
  });

  router.use(() => {
    throw new ApiError(404, 'not_found', 'no such endpoint');
  });
  router.use(apiErrorHandler(deps.log));
  return router;
}
