import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { safeEqual } from '../crypto/safe-equal.ts';
import { saveSession } from '../sessions/broker-session.ts';

/**
 * What the account page keeps in the broker session beside the single sign-on record: the token of
 * the forms it showed last, and a line for the page after a change. Both go with the session: a new
 * login (a new session id), another browser or a logout leaves every page shown before it stale.
 */

/** The line the overview shows once, after a change or a login that came back to it. */
export type AccountNotice =
  | { kind: 'removed'; method: string }
  | { kind: 'linked'; methods: string[] }
  | { kind: 'session-ended'; browser: string }
  | { kind: 'last-method'; method: string }
  | { kind: 'stale' };

declare module 'express-session' {
  interface SessionData {
    accountPage?: { form?: string; notice?: AccountNotice };
  }
}

/**
 * A token for the forms of the page being shown: one per page, kept in the session, spent by the
 * first form sent with it. A form of an older page, of another session or sent twice is refused.
 */
export function formToken(req: Request): string {
  const token = randomBytes(18).toString('base64url');
  req.session.accountPage = { ...req.session.accountPage, form: token };
  return token;
}

/** Whether the form came with the token of the page shown last in this session; spends it either way. */
export function spendFormToken(req: Request): boolean {
  const expected = req.session.accountPage?.form;
  const sent = (req.body as Record<string, unknown> | undefined)?.token;
  if (req.session.accountPage) delete req.session.accountPage.form;
  return typeof sent === 'string' && expected !== undefined && safeEqual(sent, expected);
}

/** Keeps the line for the page the redirect after a change leads to. */
export function setNotice(req: Request, notice: AccountNotice): void {
  req.session.accountPage = { ...req.session.accountPage, notice };
}

/**
 * Redirects once the session is stored (its spent token, its line): a browser follows a 303 on its
 * headers, which express-session sends before its own save has ended, and the next page would read
 * the session as it was and write it back so.
 */
export async function redirectAfterSave(req: Request, res: Response, url: string): Promise<void> {
  await saveSession(req);
  res.redirect(303, url);
}

/** The line to show now, taken from the session so that it shows once. */
export function takeNotice(req: Request): AccountNotice | undefined {
  const notice = req.session.accountPage?.notice;
  if (notice) delete req.session.accountPage!.notice;
  return notice;
}
