import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Handlebars from 'handlebars';
import { createTransport, Transporter } from 'nodemailer';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../config/env.validation';
import { Mail, MAIL_SUBJECTS, MailTemplate } from './mail-templates';

/** Resolves from src/ (ts-node, tests) and dist/ (production) alike. */
const MAIL_VIEWS = resolve(__dirname, '..', '..', 'views', 'mail');
/** Waits before the second and third attempts; a mail is given up after three. */
export const RETRY_DELAYS_MS = [500, 2_000];

type Render = (variables: Record<string, string>) => string;

/**
 * Renders a mail from its two templates and hands it to the SMTP server at
 * SMTP_URL. Links come from APP_URL only (see `link`), never from a request.
 * Callers go through the Outbox, so nothing here ever holds a response.
 */
@Injectable()
export class Mailer {
  private readonly logger = new Logger('Mail');
  private readonly transport?: Transporter;
  private readonly from: string;
  private readonly appUrl: string;
  private readonly cache = new Map<string, Render>();
  private readonly cacheTemplates: boolean;
  /** A Handlebars of its own: the text part must not be HTML-escaped, and page helpers do not belong here. */
  private readonly handlebars = Handlebars.create();

  constructor(config: ConfigService<AppConfig, true>) {
    const smtpUrl = config.get('smtpUrl', { infer: true });
    this.from = config.get('mailFrom', { infer: true });
    this.appUrl = config.get('appUrl', { infer: true });
    this.cacheTemplates = config.get('isProduction', { infer: true });
    // Bounded waits: a slow server costs a background task, never a thread forever.
    this.transport = smtpUrl
      ? createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 })
      : undefined;
  }

  /** An absolute link into the app: APP_URL, a path and its query. */
  link(path: string, query: Record<string, string> = {}): string {
    const url = new URL(path, `${this.appUrl}/`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url.toString();
  }

  render(mail: Mail): { subject: string; text: string; html: string } {
    const variables = { ...mail.variables, appUrl: this.appUrl };
    return {
      subject: MAIL_SUBJECTS[mail.template],
      text: this.template(mail.template, 'text')(variables),
      html: this.template(mail.template, 'html')(variables),
    };
  }

  /** Up to three attempts; the last error is thrown for the Outbox to log. */
  async send(mail: Mail): Promise<void> {
    if (!this.transport) {
      // Only in tests that set no SMTP_URL: main.ts always provides one (production requires it).
      this.logger.debug(`not sent (no SMTP_URL): ${mail.template}`);
      return;
    }
    const message = { from: this.from, to: mail.to, ...this.render(mail) };
    for (let attempt = 0; ; attempt++) {
      try {
        await this.transport.sendMail(message);
        return;
      } catch (error) {
        if (attempt >= RETRY_DELAYS_MS.length || isPermanent(error)) throw error;
        await sleep(RETRY_DELAYS_MS[attempt]);
      }
    }
  }

  close(): void {
    this.transport?.close();
  }

  private template(name: MailTemplate, part: 'text' | 'html'): Render {
    const key = `${name}.${part}`;
    if (part === 'html' && (!this.cacheTemplates || !this.cache.has(key))) {
      this.handlebars.registerPartial('layout', readFileSync(join(MAIL_VIEWS, 'layout.html.hbs'), 'utf8'));
    }
    const cached = this.cache.get(key);
    if (cached) return cached;
    const source = readFileSync(join(MAIL_VIEWS, `${key}.hbs`), 'utf8');
    const render = this.handlebars.compile(source, { noEscape: part === 'text', strict: true });
    if (this.cacheTemplates) this.cache.set(key, render);
    return render;
  }
}

/** A 5xx reply (a refused recipient, say) will not change on a retry; network errors and 4xx may. */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500;
}
