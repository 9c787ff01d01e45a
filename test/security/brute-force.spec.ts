/**
 * Attack 5: brute force. Per-IP and per-account limits on login (429 with
 * Retry-After), windows that expire (no permanent lockout), a growing delay
 * per account, and counts shared between instances through Redis.
 *
 * Apps here run with TRUST_PROXY=true so each test can be its own client by
 * sending X-Forwarded-For (a header only; all traffic stays on loopback).
 */
import Redis from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { delayFor, LoginBackoff } from '../../src/security/throttling/login-backoff';
import { UsersService } from '../../src/users/users.service';
import { redisUnavailableReason, RunningRedis, sameSubnet, startRedis, uniqueIp } from '../support/security';
import { startTestApp, TestApp } from '../support/test-app';
import { signUp, TestUser, uniqueUser } from '../support/users';

const WRONG = 'Wrong-password-1';

function login(t: TestApp, ip: string, username: string, password: string) {
  return t.agent().post('/auth/login').set('X-Forwarded-For', ip).send({ username, password });
}

/** The contract's 429: JSON { statusCode, message } and a Retry-After in whole seconds within the window. */
function expectThrottled(res: { status: number; body: unknown; headers: Record<string, string> }, windowSeconds: number) {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({ statusCode: 429, message: expect.any(String) });
  expect(res.headers['retry-after']).toMatch(/^\d+$/);
  const seconds = Number(res.headers['retry-after']);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(windowSeconds);
}

/** The ways a person (or an attacker) may type one username: case, full-width letters, stray spaces. */
function spellings(username: string): string[] {
  const fullWidth = username.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x61 + 0xff41));
  return [username.toUpperCase(), fullWidth, ` ${username} `, username[0].toUpperCase() + username.slice(1)];
}

describe('brute force: per-IP limit (RATE_LIMIT_PER_IP=5/1m)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ RATE_LIMIT_PER_IP: '5/1m', TRUST_PROXY: 'true' })));
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  it('5 wrong-password logins from one IP, then a 6th - 429 with Retry-After (seconds) and JSON { statusCode, message }', async () => {
    const ip = uniqueIp();
    // Credential stuffing: a different account each time, so only the per-IP limit can stop it.
    for (let i = 0; i < 5; i++) expect((await login(t, ip, uniqueUser('stuffed').username, WRONG)).status).toBe(401);
    expectThrottled(await login(t, ip, uniqueUser('stuffed').username, WRONG), 60);
  });

  it('5 logins from one IP with the right password (a shared NAT), then a 6th - 429 with Retry-After and JSON', async () => {
    const user = await signUp(t.agent(), uniqueUser('nat'));
    const ip = uniqueIp();
    for (let i = 0; i < 5; i++) expect((await login(t, ip, user.username, user.password)).status).toBe(200);
    expectThrottled(await login(t, ip, user.username, user.password), 60);
  });

  it('a login beyond the per-IP limit - 429 before any password check (no bcrypt work spent)', async () => {
    const user = await signUp(t.agent(), uniqueUser('cheap'));
    const ip = uniqueIp();
    for (let i = 0; i < 5; i++) await login(t, ip, user.username, user.password);
    const authenticate = jest.spyOn(t.app.get(UsersService), 'authenticate');
    const res = await login(t, ip, user.username, user.password);
    expect(res.status).toBe(429);
    expect(authenticate).not.toHaveBeenCalled();
  });

  it('5 wrong-password logins from 5 addresses of one IPv6 /64, then a 6th from another - 429 (one client)', async () => {
    const ip = uniqueIp();
    for (let i = 0; i < 5; i++) expect((await login(t, sameSubnet(ip), uniqueUser('stuffed').username, WRONG)).status).toBe(401);
    expectThrottled(await login(t, sameSubnet(ip), uniqueUser('stuffed').username, WRONG), 60);
  });

  it('one IP over its limit - another IP still gets normal answers', async () => {
    const user = await signUp(t.agent(), uniqueUser('other-ip'));
    const noisy = uniqueIp();
    for (let i = 0; i < 6; i++) await login(t, noisy, uniqueUser('stuffed').username, WRONG);
    expect((await login(t, uniqueIp(), user.username, user.password)).status).toBe(200);
  });
});

describe('brute force: per-account limit (RATE_LIMIT_PER_ACCOUNT=3/1m, per-IP high)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ RATE_LIMIT_PER_IP: '100000/1m', RATE_LIMIT_PER_ACCOUNT: '3/1m', TRUST_PROXY: 'true' })));
  afterAll(() => t.close());

  it('3 wrong passwords for one account from 3 IPs, spelled differently each time, then a 4th from a 4th IP - 429', async () => {
    const victim = await signUp(t.agent(), uniqueUser('victim'));
    const [upper, fullWidth, spaced, capital] = spellings(victim.username);
    expect((await login(t, uniqueIp(), victim.username, WRONG)).status).toBe(401);
    expect((await login(t, uniqueIp(), upper, WRONG)).status).toBe(401);
    expect((await login(t, uniqueIp(), fullWidth, WRONG)).status).toBe(401);
    expectThrottled(await login(t, uniqueIp(), spaced, WRONG), 60);
    expectThrottled(await login(t, uniqueIp(), capital, WRONG), 60);
  });

  it('one account over its limit - another account still logs in from the same IPs', async () => {
    const victim = await signUp(t.agent(), uniqueUser('victim'));
    const bystander = await signUp(t.agent(), uniqueUser('bystander'));
    const ips = [uniqueIp(), uniqueIp(), uniqueIp(), uniqueIp()];
    for (const ip of ips) await login(t, ip, victim.username, WRONG);
    for (const ip of ips.slice(0, 3)) expect((await login(t, ip, bystander.username, bystander.password)).status).toBe(200);
  });

  it('3 right-password logins spelled "Alice", "ALICE", "ａlice" from 3 IPs, then " alice " from a 4th - 429 (one account, one count)', async () => {
    const user = await signUp(t.agent(), uniqueUser('spelled'));
    const [upper, fullWidth, spaced] = spellings(user.username);
    expect((await login(t, uniqueIp(), user.username, user.password)).status).toBe(200);
    expect((await login(t, uniqueIp(), upper, user.password)).status).toBe(200);
    expect((await login(t, uniqueIp(), fullWidth, user.password)).status).toBe(200);
    expectThrottled(await login(t, uniqueIp(), spaced, user.password), 60);
  });
});

describe('brute force: windows expire, so nobody is locked out for good (limits 2/2s)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ RATE_LIMIT_PER_IP: '2/2s', RATE_LIMIT_PER_ACCOUNT: '2/2s', TRUST_PROXY: 'true' })));
  afterAll(() => t.close());

  it('an IP over its limit, then Retry-After seconds later - logs in again', async () => {
    const user = await signUp(t.agent(), uniqueUser('window'));
    const ip = uniqueIp();
    await login(t, ip, user.username, user.password);
    await login(t, ip, user.username, user.password);
    const throttled = await login(t, ip, user.username, user.password);
    expectThrottled(throttled, 2);
    await sleep(Number(throttled.headers['retry-after']) * 1000 + 500);
    expect((await login(t, ip, user.username, user.password)).status).toBe(200);
  });

  it('an account over its limit, then Retry-After seconds later - its owner logs in again', async () => {
    const user = await signUp(t.agent(), uniqueUser('window'));
    await login(t, uniqueIp(), user.username, user.password);
    await login(t, uniqueIp(), user.username, user.password);
    const throttled = await login(t, uniqueIp(), user.username, user.password);
    expectThrottled(throttled, 2);
    await sleep(Number(throttled.headers['retry-after']) * 1000 + 500);
    expect((await login(t, uniqueIp(), user.username, user.password)).status).toBe(200);
  });
});

describe('brute force: growing delay (login-backoff.service.ts)', () => {
  it.each([
    [1, 0],
    [2, 0],
    [3, 0],
    [4, 250],
    [5, 500],
    [6, 1000],
    [7, 2000],
    [8, 4000],
    [9, 4000],
    [1000, 4000],
  ])('delayFor(%i failures) - %i ms', (failures, delay) => {
    expect(delayFor(failures)).toBe(delay);
  });

  it('delayFor over 1..100 failures - never shrinks and never exceeds 4 s', () => {
    const delays = Array.from({ length: 100 }, (_, i) => delayFor(i + 1));
    delays.forEach((delay, i) => {
      expect(delay).toBeLessThanOrEqual(4000);
      if (i > 0) expect(delay).toBeGreaterThanOrEqual(delays[i - 1]);
    });
  });

  it('LoginBackoff.failed - counts under "backoff:<account>" for 15 minutes and waits delayFor(count)', async () => {
    const increment = jest.fn().mockResolvedValue({ totalHits: 4, timeToExpire: 900, isBlocked: false, timeToBlockExpire: 0 });
    const backoff = new LoginBackoff({ increment });
    const started = Date.now();
    await backoff.failed('alice');
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(increment).toHaveBeenCalledWith('backoff:alice', 15 * 60_000, expect.any(Number), 0, 'backoff');
  });

  describe('in the app', () => {
    let t: TestApp;
    beforeAll(async () => (t = await startTestApp({ TRUST_PROXY: 'true' })));
    afterAll(() => t.close());

    it('the 4th and 5th wrong passwords for one account, spelled differently - answered no sooner than 250 ms and 500 ms', async () => {
      const user = await signUp(t.agent(), uniqueUser('slow'));
      const [upper, fullWidth, spaced] = spellings(user.username);
      for (const name of [user.username, upper, fullWidth]) await login(t, uniqueIp(), name, WRONG);
      const timed = async (name: string) => {
        const started = Date.now();
        expect((await login(t, uniqueIp(), name, WRONG)).status).toBe(401);
        return Date.now() - started;
      };
      expect(await timed(spaced)).toBeGreaterThanOrEqual(240);
      expect(await timed(user.username)).toBeGreaterThanOrEqual(490);
    });
  });
});

const redisMissing = redisUnavailableReason();
if (redisMissing) console.warn(`Skipping the Redis throttling tests: ${redisMissing}`);
const describeWithRedis = redisMissing ? describe.skip : describe;

describeWithRedis('brute force: counts shared between two instances through Redis (RATE_LIMIT_PER_IP=3/1m)', () => {
  let redis: RunningRedis;
  let first: TestApp;
  let second: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    redis = await startRedis();
    const env = { RATE_LIMIT_PER_IP: '3/1m', TRUST_PROXY: 'true', REDIS_URL: redis.url };
    first = await startTestApp(env);
    second = await startTestApp(env);
    user = uniqueUser('shared');
    // Each instance has its own database here; the account exists in both.
    await first.app.get(UsersService).create(user);
    await second.app.get(UsersService).create(user);
  }, 60_000);
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await redis?.stop();
  });

  it('3 logins from one IP spread over two instances - the 4th gets 429 on either instance', async () => {
    const ip = uniqueIp();
    expect((await login(first, ip, user.username, user.password)).status).toBe(200);
    expect((await login(second, ip, user.username, user.password)).status).toBe(200);
    expect((await login(first, ip, user.username, user.password)).status).toBe(200);
    expectThrottled(await login(second, ip, user.username, user.password), 60);
    expectThrottled(await login(first, ip, user.username, user.password), 60);
  });

  it('a login - its count is kept in Redis under the latchkey:throttle: prefix', async () => {
    const client = new Redis(redis.url, { lazyConnect: true });
    await client.connect();
    try {
      await client.flushall();
      await login(first, uniqueIp(), user.username, user.password);
      const keys = await client.keys('latchkey:throttle:*');
      expect(keys.length).toBeGreaterThan(0);
    } finally {
      client.disconnect();
    }
  });
});

describe('brute force: without REDIS_URL each instance counts alone (control for the Redis test)', () => {
  let first: TestApp;
  let second: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    const env = { RATE_LIMIT_PER_IP: '3/1m', TRUST_PROXY: 'true' };
    first = await startTestApp(env);
    second = await startTestApp(env);
    user = uniqueUser('alone');
    await first.app.get(UsersService).create(user);
    await second.app.get(UsersService).create(user);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('3 logins from one IP spread over two in-memory instances - the 4th is still 200', async () => {
    const ip = uniqueIp();
    for (const t of [first, second, first, second]) expect((await login(t, ip, user.username, user.password)).status).toBe(200);
  });
});
