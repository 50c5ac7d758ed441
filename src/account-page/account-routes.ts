import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Account } from '../accounts/accounts.ts';
import { ACCOUNT_CLIENT_ID } from '../config/model.ts';
import { BrokerError } from '../errors/broker-error.ts';
import type { PageRenderer } from '../http/page.ts';
import { resolveLocale } from '../http/page.ts';
import type { PageTokens } from '../http/page-token.ts';
import { translate } from '../i18n/i18n.ts';
import { helpHref, resolveContact } from '../outcomes/error-content.ts';
import type { ErrorResponder } from '../outcomes/error-page.ts';
import { endBrowserSession, liveRecord, type SsoRecord } from '../sessions/broker-session.ts';
import { sessionsOf } from '../sessions/session-index.ts';
import { continuationOf, startAccountLogin, type LoginStart } from './account-login.ts';
import { overview, type OverviewDeps } from './account-overview.ts';
import { accountHref, placeBrand, placeOf, type AccountPlace } from './account-place.ts';
import { formToken, redirectAfterSave, setNotice, spendFormToken, takeNotice, type AccountNotice } from './account-session.ts';
import { endSessions, freshOtherLogin, removeOwnMethod, type AccountChangeDeps } from './holder-changes.ts';

/**
 * "Mine loginmetoder" (docs/account-page.md): the account holder's own page at /account. It shows
 * only to a browser whose broker session is logged in; any other is sent to log in first, as
 * Portvagt's own client. Every change is a form with the token of the page shown last in this session.
 */

export interface AccountPageDeps extends OverviewDeps, AccountChangeDeps {
  tokens: PageTokens;
  pages: PageRenderer;
  fail: ErrorResponder;
}

type Holder = { account: Account; record: SsoRecord };
/** The holder on a page of theirs, and where the page was opened from (the tenant always the session's). */
type Signed = Holder & { place: AccountPlace };

export function accountRoutes(deps: AccountPageDeps): Router {
  const { config } = deps;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 10 });
  const baseUrl = config.server.base_url;

  const render = (req: Request, res: Response, view: string, place: AccountPlace, titleKey: string, data: Record<string, unknown>) =>
    deps.pages.render(req, res, view, data, { titleKey, brand: placeBrand(config, place) });

  /** The logged-in holder of this browser's session; a session of an account since disabled or deleted ends here. */
  async function holder(req: Request, res: Response): Promise<Holder | undefined> {
    const record = liveRecord(req, deps.clock());
    if (!record) return undefined;
    const account = await deps.accounts.find(record.accountId);
    if (account?.status === 'active') return { account, record };
    await endBrowserSession(req, res);
    return undefined;
  }

  /** To the login, or, where the tenant is not known, to the list of tenants to choose from. */
  function login(req: Request, res: Response, place: AccountPlace, start: LoginStart): void {
    const { tenant } = place;
    if (tenant) return startAccountLogin({ tokens: deps.tokens, baseUrl, clock: deps.clock }, req, res, { ...place, tenant }, start);
    const tenants = [...config.tenants.values()].map((t) => ({ name: t.name, href: accountHref('', { tenant: t.id }) }));
    render(req, res, 'account-tenants', place, 'ui.account.title', { tenants });
  }

  /** The holder, or (answered) the login: a page that needs a login asks for it. */
  async function signedIn(req: Request, res: Response, place: AccountPlace): Promise<Signed | undefined> {
    const found = await holder(req, res);
    if (found && (!place.tenant || place.tenant === found.record.tenant)) return { ...found, place: { ...place, tenant: found.record.tenant } };
    login(req, res, place, { action: 'login' });
    return undefined;
  }

  const methodName = (id: string) => config.methods.get(id)?.displayName ?? id;

  function noticeText(req: Request, notice: AccountNotice | undefined): { text: string; success: boolean } | undefined {
    if (!notice) return undefined;
    const t = (key: string, vars?: Record<string, string>) => translate(resolveLocale(req), `ui.account.notices.${key}`, vars);
    switch (notice.kind) {
      case 'removed':
        return { text: t('removed', { method: methodName(notice.method) }), success: true };
      case 'linked':
        return { text: t('linked', { methods: notice.methods.map(methodName).join(', ') }), success: true };
      case 'session-ended':
        return { text: t('sessionEnded', { browser: notice.browser }), success: true };
      case 'last-method':
        return { text: t('lastMethod', { method: methodName(notice.method) }), success: false };
      case 'stale':
        return { text: t('stale'), success: false };
    }
  }

  /** A route whose failure goes to the error page. */
  const route =
    (handler: (req: Request, res: Response) => Promise<void>): RequestHandler =>
    (req, res, next) =>
      void handler(req, res).catch(next);

  /** A page of the logged-in holder: without a login, the login comes first. */
  const holderPage = (handler: (req: Request, res: Response, found: Signed) => Promise<void>) =>
    route(async (req, res) => {
      const found = await signedIn(req, res, placeOf(config, req.query));
      if (found) await handler(req, res, found);
    });

  /** A change: only with the token of the page this session showed last; any other form is out of date and changes nothing. */
  const change = (handler: (req: Request, res: Response, found: Signed, field: (name: string) => string) => Promise<void>) =>
    holderPage(async (req, res, found) => {
      if (spendFormToken(req)) return handler(req, res, found, (name) => String((req.body as Record<string, unknown>)[name] ?? ''));
      setNotice(req, { kind: 'stale' });
      await redirectAfterSave(req, res, accountHref('', found.place));
    });

  router.get(
    '/account',
    holderPage(async (req, res, { account, record, place }) => {
      const locale = resolveLocale(req);
      const shown = await overview(deps, account, record, req.sessionID, translate(locale, 'ui.account.title'));
      render(req, res, 'account', place, 'ui.account.title', {
        account: { name: account.display_name, username: account.username },
        ...shown,
        notice: noticeText(req, takeNotice(req)),
        token: formToken(req),
        linkHref: accountHref('/login', place, { action: 'link' }),
        removeHref: (method: string) => accountHref('/remove', place, { method }),
        endAction: accountHref('/sessions/end', place),
        codeHelpHref: (code: number) => helpHref(String(code), undefined, undefined),
        contact: resolveContact(config, 'tenant', { tenant: record.tenant, clientId: place.system }, locale),
      });
    }),
  );

  // A login for the page: `action=link` adds a method; `method` logs in anew with that method (a removal's fresh login).
  router.get(
    '/account/login',
    route(async (req, res) => {
      const place = placeOf(config, req.query);
      const found = await holder(req, res);
      const known = (value: unknown) => (typeof value === 'string' && config.methods.has(value) ? value : undefined);
      login(req, res, { ...place, tenant: found?.record.tenant ?? place.tenant }, { action: req.query.action === 'link' ? 'link' : 'login', freshWith: known(req.query.method), remove: known(req.query.remove) });
    }),
  );

  // Back from the login: the code is taken from the store (the page needs no tokens: it reads the broker session).
  router.get(
    '/account/callback',
    route(async (req, res) => {
      const carried = continuationOf(deps.tokens, req);
      if (!carried) return deps.fail(req, res, new BrokerError(3000, { detail: 'account page login state missing, altered or from another browser' }), { route: 'account' });
      const place: AccountPlace = { system: carried.system, tenant: carried.tenant };
      const found = await holder(req, res);
      if (typeof req.query.error === 'string') {
        if (found) return res.redirect(303, accountHref('', place));
        return render(req, res, 'account-signed-out', place, 'ui.account.title', { loginHref: accountHref('/login', place) });
      }
      const code = await deps.provider.AuthorizationCode.find(typeof req.query.code === 'string' ? req.query.code : '');
      if (!found || !code || code.clientId !== ACCOUNT_CLIENT_ID || code.accountId !== found.account.id) {
        return deps.fail(req, res, new BrokerError(3000, { detail: 'account page callback without its login' }), { route: 'account' });
      }
      await code.destroy();
      if (carried.action === 'link') {
        const linked = (await deps.accounts.links(found.account.id)).filter((l) => l.created_at >= carried.at).map((l) => l.method);
        if (linked.length) setNotice(req, { kind: 'linked', methods: linked });
      }
      await redirectAfterSave(req, res, carried.remove ? accountHref('/remove', place, { method: carried.remove }) : accountHref('', place));
    }),
  );

  // "Fjern": the confirmation, or first the fresh login with another method it needs.
  router.get(
    '/account/remove',
    holderPage(async (req, res, { account, record, place }) => {
      const method = typeof req.query.method === 'string' ? req.query.method : '';
      const links = await deps.accounts.links(account.id);
      if (!links.some((l) => l.method === method)) return res.redirect(303, accountHref('', place));
      const others = links.filter((l) => l.method !== method).map((l) => ({ name: methodName(l.method), href: accountHref('/login', place, { method: l.method, remove: method }) }));
      const fresh = freshOtherLogin(record, links, method, deps.clock());
      render(req, res, 'account-remove', place, 'ui.account.remove.title', {
        method: { id: method, name: methodName(method) },
        state: others.length === 0 ? 'last' : fresh ? 'confirm' : 'login-first',
        others,
        token: formToken(req),
        action: accountHref('/remove', place),
        back: accountHref('', place),
      });
    }),
  );

  router.post(
    '/account/remove',
    form,
    change(async (req, res, { account, record, place }, field) => {
      const method = field('method');
      const removal = await removeOwnMethod(deps, req, account, record, method);
      if (removal === 'not-fresh') return redirectAfterSave(req, res, accountHref('/remove', place, { method }));
      setNotice(req, removal === 'removed' ? { kind: 'removed', method } : removal === 'last-method' ? { kind: 'last-method', method } : { kind: 'stale' });
      await redirectAfterSave(req, res, accountHref('', place));
    }),
  );

  // "Log ud" of one session, of this one, or of all of them ("Log ud alle steder").
  router.post(
    '/account/sessions/end',
    form,
    change(async (req, res, { account, record, place }, field) => {
      const which = field('session');
      const sessions = await sessionsOf(deps.store, account.id, deps.clock());
      const own = sessions.find((s) => s.id === req.sessionID) ?? { id: req.sessionID, record };
      if (which === 'all' || which === 'this') {
        const ended = await endSessions(deps, account, which === 'all' ? [own, ...sessions.filter((s) => s !== own)] : [own]);
        await endBrowserSession(req, res);
        const systems = [...new Set(ended.flatMap((r) => r.clients))].filter((c) => !config.clients.get(c)?.own).map((c) => config.clients.get(c)?.displayName ?? c);
        return render(req, res, 'logout', place, 'ui.logout.doneTitle', { systems });
      }
      const other = sessions.find((s) => s.id === which && s.id !== req.sessionID);
      if (other) await endSessions(deps, account, [other]);
      setNotice(req, other ? { kind: 'session-ended', browser: other.record.browser } : { kind: 'stale' });
      await redirectAfterSave(req, res, accountHref('', place));
    }),
  );

  return router;
}
