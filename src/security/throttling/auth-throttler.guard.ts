import { ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerModuleOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { SecurityEvents } from '../security-events.service';
import { RATE_LIMITED } from './rate-limited.decorator';

/**
 * Nest's ThrottlerGuard, registered globally and active on @RateLimited()
 * routes, answering in the app's own words: 429 with a plain
 * `Retry-After` (RFC 9110 §10.2.3; the library names it per throttler) and a
 * security event. Windows expire by themselves, so no attacker can lock a
 * victim out for longer than one window.
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
    return Promise.resolve(!this.reflector.getAllAndOverride<boolean>(RATE_LIMITED, [context.getHandler(), context.getClass()]));
  }

  protected override throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const seconds = Math.max(1, detail.timeToBlockExpire);
    res.setHeader('Retry-After', String(seconds));
    this.events.record('throttled', { ip: req.ip, reason: `${req.method} ${req.path}` });
    throw new HttpException(
      { statusCode: HttpStatus.TOO_MANY_REQUESTS, message: `Too many attempts. Try again in ${seconds} seconds.` },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
