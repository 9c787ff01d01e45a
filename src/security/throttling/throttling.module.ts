import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Request } from 'express';
import { AppConfig } from '../../config/env.validation';
import { usernameKey } from '../../users/identity';
import { AuthThrottlerGuard } from './auth-throttler.guard';
import { LoginBackoff } from './login-backoff.service';

/**
 * Two throttlers for the routes marked @RateLimited(): per client IP, and
 * per account (login only), so spreading a guessing attack over many IPs
 * does not help either. Counts live in Redis when REDIS_URL is set, so all
 * instances share them; otherwise in this process's memory.
 */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => {
        const perIp = config.get('rateLimitPerIp', { infer: true });
        const perAccount = config.get('rateLimitPerAccount', { infer: true });
        const redisUrl = config.get('redisUrl', { infer: true });
        return {
          throttlers: [
            { name: 'ip', limit: perIp.limit, ttl: perIp.windowMs },
            {
              name: 'account',
              limit: perAccount.limit,
              ttl: perAccount.windowMs,
              getTracker: (req: Record<string, unknown>) => `account:${accountOf(req as unknown as Request)}`,
            },
          ],
          storage: redisUrl ? new ThrottlerStorageRedisService(redisUrl, { keyPrefix: 'latchkey:throttle:' }) : undefined,
        };
      },
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: AuthThrottlerGuard }, LoginBackoff],
  exports: [LoginBackoff],
})
export class ThrottlingModule {}

/** The same key whether someone types "Alice", "alice" or "ａlice". */
export function accountOf(req: Request): string {
  const username: unknown = (req.body as { username?: unknown } | undefined)?.username;
  return typeof username === 'string' ? usernameKey(username).slice(0, 254) : '';
}
