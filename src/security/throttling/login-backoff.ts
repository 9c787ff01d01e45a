import { Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import { setTimeout as sleep } from 'node:timers/promises';

const WINDOW_MS = 15 * 60_000;
const FREE_FAILURES = 3;
const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 4_000;

/**
 * A growing delay on repeated failed logins for one account: free for the
 * first few typos, then 250 ms, 500 ms, 1 s … up to 4 s per answer. Counts
 * share the throttler's storage (Redis when configured) and fade after 15
 * minutes, so it slows guessing without ever locking the owner out.
 */
@Injectable()
export class LoginBackoff {
  constructor(@InjectThrottlerStorage() private readonly storage: ThrottlerStorage) {}

  async failed(account: string): Promise<void> {
    const { totalHits } = await this.storage.increment(`backoff:${account}`, WINDOW_MS, Number.MAX_SAFE_INTEGER, 0, 'backoff');
    const delay = delayFor(totalHits);
    if (delay > 0) await sleep(delay);
  }
}

export function delayFor(failures: number): number {
  if (failures <= FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - FREE_FAILURES - 1));
}
