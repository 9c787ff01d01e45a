import { setTimeout as sleep } from 'node:timers/promises';
import { CaughtMail, MailCatcher } from '../../src/mail/mail-catcher';

/**
 * A real SMTP server on loopback that the tests start, point the app at
 * (SMTP_URL) and read mail from: the same catcher `npm start` runs in
 * development, so the mail crosses a real SMTP connection.
 */
export class TestMailbox {
  private constructor(private readonly catcher: MailCatcher) {}

  static async start(): Promise<TestMailbox> {
    return new TestMailbox(await new MailCatcher().start(0));
  }

  get smtpUrl(): string {
    return this.catcher.smtpUrl;
  }

  /** Every message to this address so far, oldest first. */
  to(address: string): CaughtMail[] {
    return this.catcher
      .list()
      .reverse()
      .filter((mail) => mail.to.includes(address.toLowerCase()));
  }

  /** The first message to `address` whose subject matches, waiting for it to arrive. */
  async waitFor(address: string, subject: RegExp, timeoutMs = 10_000): Promise<CaughtMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mail = this.to(address).find((m) => subject.test(m.subject));
      if (mail) return mail;
      if (Date.now() > deadline) {
        const seen = this.to(address).map((m) => m.subject);
        throw new Error(`no mail to ${address} matching ${subject} within ${timeoutMs} ms (got: ${JSON.stringify(seen)})`);
      }
      await sleep(25);
    }
  }

  stop(): Promise<void> {
    return this.catcher.stop();
  }
}

/** The link in a mail's text part that starts with `prefix` (such as `http://localhost:3000/auth/reset`). */
export function linkIn(mail: CaughtMail, pathname: string): URL {
  for (const match of mail.text.matchAll(/https?:\/\/[^\s<>"']+/g)) {
    const url = new URL(match[0]);
    if (url.pathname === pathname) return url;
  }
  throw new Error(`no ${pathname} link in mail "${mail.subject}":\n${mail.text}`);
}

/** The `token` query parameter of that link. */
export function tokenIn(mail: CaughtMail, pathname: string): string {
  const token = linkIn(mail, pathname).searchParams.get('token');
  if (!token) throw new Error(`the ${pathname} link in "${mail.subject}" has no token`);
  return token;
}

/** Every link in the HTML part, to check it matches the text part. */
export function htmlLinks(mail: CaughtMail): string[] {
  const entities: Record<string, string> = { '&amp;': '&', '&#x3D;': '=', '&#x27;': "'", '&quot;': '"' };
  return [...mail.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;|&#x3D;|&#x27;|&quot;/g, (e) => entities[e]));
}
