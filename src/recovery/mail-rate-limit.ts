import { Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import { SecurityEvents } from '../security/security-events';
import { AppError } from '../common/errors/app-error';
import { RecoveryErrors } from './recovery.errors';

/** Per address (or account), on top of the per-IP limit of @RateLimited(). */
export const MAILS_PER_WINDOW = 3;
export const MAIL_WINDOW_MS = 15 * 60_000;

/**
 * Limits how many recovery or verification mails one address can be sent,
 * whoever asks and from however many IPs, so nobody can flood a mailbox
 * through us (OWASP Forgot Password Cheat Sheet). The count is kept for
 * addresses with and without an account alike, so a 429 tells nothing about
 * existence. It only stops new mail: links already sent keep working and
 * logging in is untouched, so it is never a lockout; the window then expires
 * by itself. Counts share the throttler's storage (Redis when configured).
 */
@Injectable()
export class MailRateLimit {
  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly events: SecurityEvents,
  ) {}

  async hit(key: string, ip?: string): Promise<void> {
    const { totalHits } = await this.storage.increment(`mail:${key}`, MAIL_WINDOW_MS, Number.MAX_SAFE_INTEGER, 0, 'mail');
    if (totalHits > MAILS_PER_WINDOW) {
      this.events.record('throttled', { ip, reason: `mail ${key.split(':')[0]}` });
      throw new AppError(RecoveryErrors.TOO_MANY_MAILS);
    }
  }
}
