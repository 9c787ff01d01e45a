import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../../config/env.validation';
import { UsersModule } from '../../users/users.module';
import { AuthThrottlerGuard } from './auth-throttler.guard';
import { CurrentPasswordCheck } from './current-password-check';
import { LoginBackoff } from './login-backoff';
import { LoginThrottle } from './login-throttle';
import { ResilientThrottlerStorage } from './resilient-storage';

/**
 * Throttling for the routes marked @RateLimited(): per client IP in
 * AuthThrottlerGuard, and per account on login in LoginThrottle, so
 * spreading a guessing attack over many IPs does not help either; the
 * current password of a logged-in action counts there too
 * (CurrentPasswordCheck). Counts live in Redis when REDIS_URL is set, so all
 * instances share them (falling back to memory while Redis is away);
 * otherwise in this process's memory.
 */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => {
        const perIp = config.get('rateLimitPerIp', { infer: true });
        const redisUrl = config.get('redisUrl', { infer: true });
        return {
          throttlers: [{ name: 'ip', limit: perIp.limit, ttl: perIp.windowMs }],
          storage: redisUrl ? new ResilientThrottlerStorage(redisUrl) : undefined,
        };
      },
    }),
    UsersModule,
  ],
  providers: [{ provide: APP_GUARD, useClass: AuthThrottlerGuard }, LoginBackoff, LoginThrottle, CurrentPasswordCheck],
  exports: [LoginBackoff, LoginThrottle, CurrentPasswordCheck],
})
export class ThrottlingModule {}
