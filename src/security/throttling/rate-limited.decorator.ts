import { applyDecorators, SetMetadata } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';

export const RATE_LIMITED = 'rateLimited';

/**
 * Throttles a route per client IP and, with `perAccount`, per account named
 * in the body too. AuthThrottlerGuard is global, so it runs before any
 * route guard: a throttled login never reaches bcrypt in LocalAuthGuard.
 */
export const RateLimited = (options: { perAccount?: boolean } = {}) =>
  applyDecorators(SetMetadata(RATE_LIMITED, true), SkipThrottle({ account: !options.perAccount }));
