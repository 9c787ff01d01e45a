import { SetMetadata } from '@nestjs/common';

export const RATE_LIMITED_KEY = 'rateLimited';

/**
 * Throttles a route per client IP. AuthThrottlerGuard is global, so it runs
 * before any route guard: a throttled login never reaches bcrypt in
 * LocalAuthGuard. The login's per-account limit is LoginThrottle's, applied
 * by LocalStrategy before the password is checked.
 */
export const RateLimited = () => SetMetadata(RATE_LIMITED_KEY, true);
