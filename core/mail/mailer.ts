import nodemailer from 'nodemailer';
import type { Config } from '../../config/schema.js';

/** One plain-text e-mail. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends e-mail; the desk only knows this interface. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

/** SMTP settings a mailer is built from (a slice of the config). */
export type SmtpSettings = Pick<Config, 'smtpHost' | 'smtpPort' | 'smtpSecurity' | 'smtpUser' | 'smtpPassword' | 'smtpFrom'>;

/** Sends through an SMTP server with nodemailer (pooled connection, TLS as configured). */
export function smtpMailer(settings: SmtpSettings & { smtpHost: string }): Mailer {
  const transport = nodemailer.createTransport({
    host: settings.smtpHost,
    port: settings.smtpPort,
    secure: settings.smtpSecurity === 'tls',
    requireTLS: settings.smtpSecurity === 'starttls',
    ignoreTLS: settings.smtpSecurity === 'none',
    ...(settings.smtpUser && { auth: { user: settings.smtpUser, pass: settings.smtpPassword ?? '' } }),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail) {
      await transport.sendMail({ from: settings.smtpFrom, to: mail.to, subject: mail.subject.replace(/[\r\n]+/g, ' '), text: mail.text });
    },
    close: () => transport.close(),
  };
}

/** A mailer that drops everything: the appliance runs without SMTP settings. */
export const nullMailer: Mailer = { send: async () => undefined, close: () => undefined };

/** The mailer the config asks for. */
export function mailerFromConfig(config: SmtpSettings): Mailer {
  return config.smtpHost ? smtpMailer({ ...config, smtpHost: config.smtpHost }) : nullMailer;
}
