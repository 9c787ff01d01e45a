import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import Redis from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Throttling counts in Redis, shared by every instance, with this process's
 * memory as the fallback while Redis cannot be reached.
 *
 * Losing Redis must neither take logins down (a 500 on every attempt) nor
 * switch throttling off (every attempt let through): each instance then
 * counts on its own, so the limits still hold per instance, at worst N times
 * looser across N instances. One warning says so when it happens and one log
 * line when Redis is back; ioredis keeps reconnecting by itself, so sharing
 * resumes without a restart. Counts made during the outage stay in memory
 * and are not carried over (see docs/performance.md).
 */
export class ResilientThrottlerStorage implements ThrottlerStorage, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Throttling');
  private readonly redis: Redis;
  private readonly shared: ThrottlerStorageRedisService;
  private readonly local = new ThrottlerStorageService();
  private usingLocal = false;

  constructor(url: string) {
    this.redis = new Redis(url, {
      keyPrefix: 'latchkey:throttle:',
      // Fail at once while disconnected instead of queueing the login behind
      // a reconnect; the fallback answers instead.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 1_000,
      connectTimeout: 2_000,
      // Keeps trying every second at most, for as long as the process lives.
      retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    });
    // Connection errors are reported once by fallBack(); without a listener
    // ioredis prints every reconnect failure as an unhandled error event.
    this.redis.on('error', () => undefined);
    this.redis.on('ready', () => this.restored());
    this.shared = new ThrottlerStorageRedisService(this.redis);
  }

  /** Gives the first connection a moment, so the first requests are counted where every instance sees them. */
  async onModuleInit(): Promise<void> {
    const ready = new Promise<void>((resolve) => this.redis.once('ready', () => resolve()));
    await Promise.race([ready, sleep(2_000, undefined, { ref: false })]);
    if (this.redis.status !== 'ready') this.fallBack('no connection at start-up');
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    if (this.redis.status === 'ready') {
      try {
        const record = await this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
        this.restored();
        return record;
      } catch (error) {
        this.fallBack((error as Error).message);
      }
    } else {
      this.fallBack(`connection ${this.redis.status}`);
    }
    return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  onApplicationShutdown(): void {
    this.redis.disconnect(false);
    this.local.onApplicationShutdown();
  }

  private fallBack(reason: string): void {
    if (this.usingLocal) return;
    this.usingLocal = true;
    this.logger.warn(`Redis is unreachable (${reason}): throttling counts are kept in this instance's memory until it is back`);
  }

  private restored(): void {
    if (!this.usingLocal) return;
    this.usingLocal = false;
    this.logger.warn('Redis is reachable again: throttling counts are shared between instances again');
  }
}
