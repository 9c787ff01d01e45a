import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { SecurityEventFields, SecurityEvents } from '../security/security-events';
import { Mail } from './mail-templates';
import { Mailer } from './mailer';

/** At shutdown, mail already on its way gets this long to leave. */
const SHUTDOWN_GRACE_MS = 5_000;

/**
 * Work that must not hold an HTTP response: sending mail, and the whole of
 * a forgot-password request (so its answer takes the same time whether or
 * not the address has an account). Tasks start after the current response
 * is written; a failure is logged as a `mail.failed` security event with
 * ids only, never the address, and never reaches the client.
 */
@Injectable()
export class Outbox implements OnApplicationShutdown {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly mailer: Mailer,
    private readonly events: SecurityEvents,
  ) {}

  send(mail: Mail, context: SecurityEventFields = {}): void {
    this.defer(mail.template, () => this.mailer.send(mail), context);
  }

  defer(label: string, task: () => Promise<void>, context: SecurityEventFields = {}): void {
    const run = new Promise<void>((started) => setImmediate(started))
      .then(task)
      .catch((error: unknown) => this.events.record('mail.failed', { ...context, reason: `${label}: ${describeFailure(error)}` }))
      .finally(() => this.pending.delete(run));
    this.pending.add(run);
  }

  /** Resolves when nothing is queued: for shutdown, and for tests that assert what was (not) sent. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.race([this.idle(), sleep(SHUTDOWN_GRACE_MS, undefined, { ref: false })]);
    this.mailer.close();
  }
}

/**
 * An error code such as ECONNREFUSED, or the SMTP reply code: never the
 * message, which can quote the recipient's address.
 */
function describeFailure(error: unknown): string {
  const e = error as { code?: unknown; responseCode?: unknown; name?: unknown };
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.responseCode === 'number') return `SMTP ${e.responseCode}`;
  return typeof e?.name === 'string' ? e.name : 'unknown error';
}
