import { simpleParser } from 'mailparser';
import { EventEmitter } from 'node:events';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message as the catcher received it over SMTP. */
export interface CaughtMail {
  id: number;
  receivedAt: Date;
  from: string;
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/** The newest messages are kept; a development inbox needs no more. */
const KEEP = 200;
/** Nothing the app sends comes near this; larger messages are refused. */
const MAX_MESSAGE_BYTES = 1_000_000;

/**
 * A real SMTP server on loopback that keeps what it receives in memory: the
 * development mail catcher behind `npm start` (see mail-catcher-page.ts for
 * its read-only page) and the mailbox the test suites read links from.
 * It accepts any sender, recipient and login, and never relays anything.
 */
export class MailCatcher {
  private readonly mails: CaughtMail[] = [];
  private readonly events = new EventEmitter();
  private nextId = 1;
  private server?: SMTPServer;
  private port = 0;

  /** Starts listening on 127.0.0.1; port 0 picks a free one. */
  async start(port = 0): Promise<this> {
    this.server = new SMTPServer({
      // Loopback only, so neither TLS nor real logins mean anything here.
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      size: MAX_MESSAGE_BYTES,
      logger: false,
      banner: 'Latchkey development mail catcher',
      onData: (stream, session, callback) => {
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        simpleParser(stream).then(
          (parsed) => {
            this.store({
              from: parsed.from?.text ?? '',
              to,
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => {
        this.server!.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  /** What SMTP_URL should be for the app to send here. */
  get smtpUrl(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Newest first. */
  list(): CaughtMail[] {
    return [...this.mails].reverse();
  }

  find(id: number): CaughtMail | undefined {
    return this.mails.find((mail) => mail.id === id);
  }

  /** Calls back for every message received from now on; returns a function that stops it. */
  onMail(listener: (mail: CaughtMail) => void): () => void {
    this.events.on('mail', listener);
    return () => this.events.off('mail', listener);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private store(fields: Omit<CaughtMail, 'id' | 'receivedAt'>): void {
    const mail = { id: this.nextId++, receivedAt: new Date(), ...fields };
    this.mails.push(mail);
    if (this.mails.length > KEEP) this.mails.shift();
    this.events.emit('mail', mail);
  }
}
