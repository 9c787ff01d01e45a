import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerModuleOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request } from 'express';
import { SecurityEvents } from '../security-events';
import { RATE_LIMITED_KEY } from './rate-limited.decorator';
import { TooManyAttempts } from './too-many-attempts';

/**
 * Nest's ThrottlerGuard, registered globally and active on @RateLimited()
 * routes, per client IP, answering in the app's own words: 429 with a plain
 * `Retry-After` (the library names it per throttler) and a security event.
 * Windows expire by themselves. The per-account login limit is
 * LoginThrottle's.
 */
@Injectable()
export class AuthThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly events: SecurityEvents,
  ) {
    super(options, storage, reflector);
  }

  /** Only routes marked @RateLimited() are counted. */
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(!this.reflector.getAllAndOverride<boolean>(RATE_LIMITED_KEY, [context.getHandler(), context.getClass()]));
  }

  protected override throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const req = context.switchToHttp().getRequest<Request>();
    this.events.record('throttled', { ip: req.ip, reason: `${req.method} ${req.path}` });
    throw new TooManyAttempts(detail.timeToBlockExpire);
  }
}
