import { applyDecorators, UseGuards } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { AuthThrottlerGuard } from './auth-throttler.guard';

/**
 * Throttles a route per client IP and, with `perAccount`, per account named
 * in the body too. List it before guards that do expensive work (bcrypt in
 * LocalAuthGuard), so throttled requests cost nothing.
 */
export const RateLimited = (options: { perAccount?: boolean } = {}) =>
  applyDecorators(SkipThrottle({ account: !options.perAccount }), UseGuards(AuthThrottlerGuard));
