import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config/model.ts';

export interface OutgoingMail {
  from: string;
  to: string;
  replyTo?: string | undefined;
  subject: string;
  text: string;
  html: string;
  locale: string;
}

export interface MailTransport {
  /** Delivers a mail, or throws; resolves to an id for the audit event. */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

/** What the demo's outbox keeps of a mail. */
export interface OutboxMail extends OutgoingMail {
  id: string;
  at: number;
}

export const outboxDir = (config: Config) => join(config.storage.data_dir, 'outbox');

/** SMTP through nodemailer, its own logging off: a mail carries a one-time password. */
function smtpTransport(smtp: NonNullable<Config['smtp']>): MailTransport {
  const transporter = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.tls === 'tls',
    requireTLS: smtp.tls === 'starttls',
    ignoreTLS: smtp.tls === 'none',
    auth: smtp.user ? { user: smtp.user, pass: smtp.password } : undefined,
    tls: smtp.ca_file ? { ca: readFileSync(smtp.ca_file, 'utf8') } : undefined,
    connectionTimeout: smtp.timeout_ms,
    greetingTimeout: smtp.timeout_ms,
    socketTimeout: smtp.timeout_ms,
    logger: false,
    debug: false,
  });
  return {
    async send(mail) {
      const info = await transporter.sendMail({ from: mail.from, to: mail.to, replyTo: mail.replyTo, subject: mail.subject, text: mail.text, html: mail.html });
      return { messageId: info.messageId };
    },
  };
}

/** The embedded default: one JSON file per mail in `<data_dir>/outbox`, shown by the demo instead of sent. */
function outboxTransport(dir: string): MailTransport {
  return {
    async send(mail) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const entry: OutboxMail = { ...mail, id: randomUUID(), at: Date.now() };
      writeFileSync(join(dir, `${entry.at}-${entry.id}.json`), JSON.stringify(entry), { mode: 0o600 });
      return { messageId: `outbox:${entry.id}` };
    },
  };
}

/** The configured transport, or undefined when the configuration has no `smtp` section. */
export function mailTransport(config: Config): MailTransport | undefined {
  if (!config.smtp) return undefined;
  return config.smtp.outbox ? outboxTransport(outboxDir(config)) : smtpTransport(config.smtp);
}
