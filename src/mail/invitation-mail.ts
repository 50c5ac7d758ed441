/** Whom an invitation e-mail goes to: the account's fields it needs (mail/ knows nothing else of accounts). */
export interface Recipient {
  tenant: string;
  username: string;
  display_name: string;
  email: string | null;
}
import type { Client, Config } from '../config/model.ts';
import { textColorOn } from '../http/brand-colors.ts';
import { fillVars, inLocale, isLocale, translate } from '../i18n/i18n.ts';
import { views } from '../views.ts';
import type { MailTransport, OutgoingMail } from './mail-transport.ts';
import { pageTime } from '../i18n/page-time.ts';

/** Which system's invitation, in which language. */
export interface InvitationMailRequest {
  clientId: string;
  locale: string;
}

/** An invitation that cannot be mailed at all (no address, no SMTP, unknown system): nothing is issued. */
export class InvitationMailRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvitationMailRefused';
  }
}

/** The mail was composed but not delivered; the invitation stays valid. Never carries the password. */
export class InvitationMailFailed extends Error {
  readonly reason: string;

  constructor(reason: string) {
    super(`the invitation e-mail could not be sent: ${reason}`);
    this.name = 'InvitationMailFailed';
    this.reason = reason;
  }
}

const DEFAULT_COLOR = '#0059b3';


/** What an SMTP failure may say in a log or an audit event: codes and the first line, nothing of the mail. */
export function mailFailureReason(error: unknown, secret: string): string {
  const e = error as { code?: unknown; responseCode?: unknown; message?: unknown } | null;
  const parts = [typeof e?.code === 'string' ? e.code : undefined, typeof e?.responseCode === 'number' ? String(e.responseCode) : undefined, typeof e?.message === 'string' ? e.message.split('\n')[0] : undefined];
  return parts.filter(Boolean).join(' ').replaceAll(secret, '[redacted]').slice(0, 300) || 'failed';
}

/**
 * The first-time-login e-mail in a system's name: its name, colours and logo, its link to start a
 * first-time login, the username, the one-time password and when it expires; plain text and HTML
 * from views/mail/, texts from the locale files unless the system has its own.
 */
export class InvitationMailer {
  private readonly config: Config;
  private readonly transport: MailTransport | undefined;

  constructor(config: Config, transport: MailTransport | undefined) {
    this.config = config;
    this.transport = transport;
  }

  /** Checks, before an invitation is issued, that it can be mailed; returns the system it is mailed for. */
  check(account: Recipient, request: InvitationMailRequest): Client {
    if (!this.transport) throw new InvitationMailRefused('no smtp section in the configuration: invitations cannot be mailed');
    if (!account.email) throw new InvitationMailRefused(`account ${account.tenant}/${account.username} has no e-mail address`);
    if (!isLocale(request.locale)) throw new InvitationMailRefused(`unknown language "${request.locale}"`);
    const client = this.config.clients.get(request.clientId);
    if (!client || !client.enabled || !client.tenants.includes(account.tenant)) throw new InvitationMailRefused(`system "${request.clientId}" does not serve tenant "${account.tenant}"`);
    return client;
  }

  /**
   * Whom to ask when the first-time login does not work (an expired or locked invitation): the
   * tenant's support, else the deployment's, as the page of that dead end names them too.
   */
  private contactLine(tenant: string, locale: string, t: (key: string, extra?: Record<string, string>) => string): string | undefined {
    const support = this.config.tenants.get(tenant)?.support ?? this.config.support;
    if (!support) return undefined;
    const details = [support.phone, support.email, inLocale(support.url, locale)].filter(Boolean).join(', ');
    return t('contact', { contact: [inLocale(support.name, locale), details].filter(Boolean).join(': ') });
  }

  compose(account: Recipient, client: Client, locale: string, invitation: { password: string; expiresAt: number }): OutgoingMail {
    const vars = { system: client.displayName, name: account.display_name };
    const own = client.invitationMail.texts[locale];
    const t = (key: string, extra: Record<string, string> = {}) => translate(locale, `mail.invitation.${key}`, { ...vars, ...extra });
    const color = client.primaryColor ?? DEFAULT_COLOR;
    const logo = client.logoUrl ? new URL(client.logoUrl, `${this.config.server.base_url}/`).href : undefined;
    const data = {
      locale,
      subject: own?.subject ? fillVars(own.subject, vars) : t('subject'),
      greeting: t('greeting'),
      intro: own?.intro ? fillVars(own.intro, vars) : t('intro'),
      usernameLabel: t('usernameLabel'),
      passwordLabel: t('passwordLabel'),
      username: account.username,
      password: invitation.password,
      // The same words for a time as the pages: "7. december 2026 kl. 16:13 (dansk tid)".
      expires: t('expires', { expires: pageTime(locale, new Date(invitation.expiresAt)) }),
      link: client.invitationMail.firstLoginUrl,
      linkLead: t('linkLead'),
      linkButton: t('linkButton'),
      noLink: t('noLink'),
      ignore: t('ignore'),
      contact: this.contactLine(account.tenant, locale, t),
      signature: t('signature'),
      system: client.displayName,
      color,
      textColor: textColorOn(color),
      logo,
    };
    return {
      from: this.config.smtp?.from ?? '',
      to: account.email ?? '',
      replyTo: client.invitationMail.replyTo,
      subject: data.subject,
      text: views.render('mail/invitation-text', data),
      html: views.render('mail/invitation-html', data),
      locale,
    };
  }

  async send(account: Recipient, request: InvitationMailRequest, invitation: { password: string; expiresAt: number }): Promise<{ to: string; messageId: string }> {
    const client = this.check(account, request);
    const mail = this.compose(account, client, request.locale, invitation);
    try {
      const { messageId } = await this.transport!.send(mail);
      return { to: mail.to, messageId };
    } catch (error) {
      throw new InvitationMailFailed(mailFailureReason(error, invitation.password));
    }
  }
}
