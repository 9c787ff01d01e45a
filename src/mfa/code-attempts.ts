import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import { AppError } from '../common/errors/app-error';
import { AppConfig } from '../config/env.validation';
import { SecurityEvents } from '../security/security-events';
import { MfaErrors } from './mfa.errors';

/** Tries per pending login: a million codes against five guesses is a 1 in 200,000 chance. */
export const ATTEMPTS_PER_PENDING_LOGIN = 5;

/**
 * Counts second-factor tries in the throttler's storage (Redis when
 * REDIS_URL is set, so all instances share it): per account with the login's
 * RATE_LIMIT_PER_ACCOUNT, and per pending login. Windows expire by
 * themselves, so nobody is ever locked out for good.
 */
@Injectable()
export class CodeAttempts {
  private readonly perAccount: { limit: number; windowMs: number };

  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly events: SecurityEvents,
    config: ConfigService<AppConfig, true>,
  ) {
    this.perAccount = config.get('rateLimitPerAccount', { infer: true });
  }

  /** Counts one try; throws TOO_MANY_CODES once either budget is spent. */
  async take(userId: string, pendingId?: string, pendingTtlMs = 0): Promise<void> {
    const account = await this.storage.increment(
      `mfa:account:${userId}`,
      this.perAccount.windowMs,
      this.perAccount.limit,
      this.perAccount.windowMs,
      'mfa',
    );
    const pending = pendingId
      ? await this.storage.increment(`mfa:pending:${pendingId}`, pendingTtlMs, ATTEMPTS_PER_PENDING_LOGIN, pendingTtlMs, 'mfa')
      : undefined;
    if (account.isBlocked || pending?.isBlocked) {
      this.events.record('throttled', { userId, reason: 'second factor' });
      const waits = [account, pending].filter((record) => record?.isBlocked).map((record) => record!.timeToBlockExpire);
      throw new AppError(MfaErrors.TOO_MANY_CODES).retryAfter(Math.max(...waits));
    }
  }
}
