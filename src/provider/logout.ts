import type { Request, Response } from 'express';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../config/model.ts';
import { browserOf } from '../http/browser-cookies.ts';
import type { PageRenderer } from '../http/page.ts';
import type { OutcomeJournal } from '../outcomes/journal.ts';
import { endBrowserSession } from '../sessions/broker-session.ts';
import type { EphemeralStore } from '../store/ephemeral/ephemeral-store.ts';
import { views } from '../views.ts';

/**
 * RP-initiated logout as the user sees it (docs/relying-parties.md, "Logout"): the confirmation page,
 * the page after it, and the end of the broker session with oidc-provider's own, at the same moment.
 */

export interface LogoutDeps {
  config: Config;
  pages: PageRenderer;
  store: EphemeralStore;
  journal: OutcomeJournal;
}

/** The systems of a logout, kept for the page after it (one redirect later), for this browser only. */
const loggedOutKey = (browser: string) => `logged-out:${browser}`;
const LOGGED_OUT_SECONDS = 300;

type IdTokenHint = { payload: { sub?: string; aud?: string; sid?: string } };

export function logoutPages(deps: LogoutDeps) {
  const systemsOf = (clientIds: readonly string[]) => clientIds.map((id) => deps.config.clients.get(id)?.displayName ?? id);
  const pageOf = (ctx: KoaContextWithOIDC, titleKey: string) => {
    const uiLocales = typeof ctx.oidc.params?.ui_locales === 'string' ? ctx.oidc.params.ui_locales : undefined;
    return deps.pages.page(ctx.req as Request, ctx.res as Response, { titleKey, uiLocales });
  };

  /**
   * "Log ud?": the systems the session was released to, "Log ud" (everywhere) and "Log kun ud af
   * <system>". A request whose ID token hint comes from this very session logs out at once (by script,
   * with the buttons as the no-script way); any other must be confirmed, so no page can log another
   * user's session out silently.
   */
  async function logoutSource(ctx: KoaContextWithOIDC): Promise<void> {
    const { session } = ctx.oidc;
    const hint = (ctx.oidc.entities as { IdTokenHint?: IdTokenHint }).IdTokenHint?.payload;
    // The hint's system has a login in this session, for the hint's user (and the hint's `sid`, where it has one, is the session's).
    const aud = typeof hint?.aud === 'string' ? hint.aud : undefined;
    const fromThisSession = !!session && !!aud && hint?.sub === session.accountId && !!session.authorizations?.[aud] && (hint?.sid === undefined || hint.sid === session.sidFor(aud));
    const clients = (ctx.req as Request).session?.sso?.clients ?? Object.keys(session?.authorizations ?? {});
    ctx.type = 'html';
    ctx.body = views.render('logout-confirm', {
      page: pageOf(ctx, 'ui.logout.confirmTitle'),
      // oidc-provider's confirmation form, as a form of the page's own with its buttons inside.
      action: ctx.oidc.urlFor('end_session_confirm'),
      xsrf: (session?.state as { secret?: string } | undefined)?.secret,
      systems: systemsOf(clients),
      system: ctx.oidc.client ? deps.config.clients.get(ctx.oidc.client.clientId)?.displayName : undefined,
      automatic: fromThisSession,
    });
  }

  /** "Du er logget ud" with the systems the session was released to, where this browser just logged out of them. */
  async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
    const req = ctx.req as Request;
    const systems = req.browser?.returning ? await deps.store.take<string[]>(loggedOutKey(browserOf(req).id())).catch(() => undefined) : undefined;
    ctx.type = 'html';
    ctx.body = views.render('logout', { page: pageOf(ctx, 'ui.logout.doneTitle'), systems: systemsOf(systems ?? []) });
  }

  /**
   * Ends the broker session when oidc-provider ended its own (the user logged out everywhere), and
   * keeps which systems it had for the page after; a logout of one system only takes that one off.
   * `accountId`: the account oidc-provider's session was logged out of.
   */
  async function afterLogout(ctx: KoaContextWithOIDC, ended: { everywhere: boolean; clientId?: string | undefined; accountId?: string | undefined }): Promise<void> {
    const req = ctx.req as Request;
    const record = req.session?.sso;
    // oidc-provider logs out the account a browser had when another logs in: the broker session is already the new one's.
    if (record && ended.accountId !== undefined && record.accountId !== ended.accountId) return;
    if (!ended.everywhere) {
      if (record && ended.clientId) record.clients = record.clients.filter((c) => c !== ended.clientId);
      return;
    }
    const clients = record?.clients ?? (ended.clientId ? [ended.clientId] : []);
    if (record) await deps.journal.record({ kind: 'logged-out', accountId: record.accountId, systems: clients }, { route: 'logout', clientId: ended.clientId, tenant: record.tenant });
    if (req.browser && clients.length) await deps.store.set(loggedOutKey(browserOf(req).id()), clients, LOGGED_OUT_SECONDS);
    await endBrowserSession(req, ctx.res as Response);
  }

  return { logoutSource, postLogoutSuccessSource, afterLogout };
}

export type LogoutPages = ReturnType<typeof logoutPages>;
