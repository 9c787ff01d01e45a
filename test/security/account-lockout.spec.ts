/**
 * The per-account login limit, round two: strangers cannot lock the owner
 * out (device cookies), the username and the email of one account share one
 * count, a count for an unknown name looks exactly like one for a real
 * account, and no response tells anyone how many attempts others made.
 *
 * Apps here run with TRUST_PROXY=true so each request can be its own client
 * by sending X-Forwarded-For (a header only; all traffic stays on loopback).
 */
import { randomBytes } from 'node:crypto';
import { AuthCookies } from '../../src/auth/auth-cookies';
import { LoginBackoff } from '../../src/security/throttling/login-backoff';
import { UsersService } from '../../src/users/users.service';
import { signUpBrowser } from '../support/lifecycle';
import { uniqueIp } from '../support/security';
import { startTestApp, TestApp } from '../support/test-app';
import { setCookie, signUp, submitForm, TestUser, uniqueUser } from '../support/users';

const WRONG = 'Wrong-password-1';
const LIMIT = 3;

describe('per-account login limit with device cookies (RATE_LIMIT_PER_ACCOUNT=3/1m)', () => {
  let t: TestApp;
  let deviceName: string;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_IP: '100000/1m', RATE_LIMIT_PER_ACCOUNT: `${LIMIT}/1m`, TRUST_PROXY: 'true' });
    deviceName = t.app.get(AuthCookies).deviceName;
  });
  afterAll(() => t.close());

  /** A JSON login from a client of its own (own IP, no cookies unless given). */
  function jsonLogin(username: string, password: string, cookie?: string) {
    const req = t.agent().post('/auth/login').set('X-Forwarded-For', uniqueIp());
    if (cookie) req.set('Cookie', cookie);
    return req.send({ username, password });
  }

  /** An owner who logged in once with the form in their browser, which earned the browser a device cookie. */
  async function ownerWithDevice(): Promise<{ user: TestUser; browser: ReturnType<TestApp['agent']>; device: string }> {
    const user = await signUp(t.agent(), uniqueUser('owner'));
    const browser = t.agent();
    const res = await submitForm(browser, '/auth/login', { username: user.username, password: user.password });
    expect(res.status).toBe(303);
    const line = setCookie(res, deviceName);
    expect(line).toMatch(/HttpOnly/i);
    expect(line).toMatch(/SameSite=Strict/i);
    return { user, browser, device: line!.split(';')[0] };
  }

  /** Wrong guesses from fresh IPs until one is throttled; returns how many were answered 401 first. */
  async function guessUntilThrottled(username: string): Promise<number> {
    for (let guesses = 0; guesses <= LIMIT + 1; guesses++) {
      const res = await jsonLogin(username, WRONG);
      if (res.status === 429) return guesses;
      expect(res.status).toBe(401);
    }
    throw new Error(`no 429 after ${LIMIT + 2} wrong guesses`);
  }

  it('strangers exhaust the account with wrong guesses - the owner in their usual browser still logs in, and the strangers stay at 429', async () => {
    const { user, browser } = await ownerWithDevice();
    expect(await guessUntilThrottled(user.username)).toBeLessThanOrEqual(LIMIT);

    const owner = await submitForm(browser, '/auth/login', { username: user.username, password: user.password });
    expect(owner.status).toBe(303);
    expect(owner.headers.location).toBe('/profile');

    const stranger = await jsonLogin(user.username, user.password);
    expect(stranger.status).toBe(429);
    expect(stranger.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('the same owner in a new browser (no device cookie) - 429 like any stranger while the lockout lasts', async () => {
    const { user } = await ownerWithDevice();
    await guessUntilThrottled(user.username);
    const fresh = await submitForm(t.agent(), '/auth/login', { username: user.username, password: user.password });
    expect(fresh.status).toBe(429);
  });

  it("an attacker with a device cookie earned on their own account - still 429 on the victim's", async () => {
    const { user: victim } = await ownerWithDevice();
    const { device: attackersDevice } = await ownerWithDevice();
    await guessUntilThrottled(victim.username);
    expect((await jsonLogin(victim.username, WRONG, attackersDevice)).status).toBe(429);
    expect((await jsonLogin(victim.username, victim.password, attackersDevice)).status).toBe(429);
  });

  it("a device cookie naming the victim's account but not signed by the server - 429", async () => {
    const { user } = await ownerWithDevice();
    const id = (await t.app.get(UsersService).findByUsername(user.username))!.id;
    await guessUntilThrottled(user.username);
    const forged = `${deviceName}=${encodeURIComponent(`s:${id}.${randomBytes(16).toString('base64url')}.${randomBytes(32).toString('base64url')}`)}`;
    expect((await jsonLogin(user.username, user.password, forged)).status).toBe(429);
    const unsigned = `${deviceName}=${id}.${randomBytes(16).toString('base64url')}`;
    expect((await jsonLogin(user.username, user.password, unsigned)).status).toBe(429);
  });

  it('a stolen device cookie - limited to RATE_LIMIT_PER_ACCOUNT guesses of its own, then 429', async () => {
    const { user, device } = await ownerWithDevice();
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 1; i++) statuses.push((await jsonLogin(user.username, WRONG, device)).status);
    expect(statuses).toEqual([...Array(LIMIT).fill(401), 429]);
    expect((await jsonLogin(user.username, user.password, device)).status).toBe(429);
  });

  it('3 wrong guesses by username and email mixed - the 4th, by either, is 429: one account, one count', async () => {
    const user = await signUp(t.agent(), uniqueUser('both'));
    expect((await jsonLogin(user.username, WRONG)).status).toBe(401);
    expect((await jsonLogin(user.email, WRONG)).status).toBe(401);
    expect((await jsonLogin(user.email.toUpperCase(), WRONG)).status).toBe(401);
    expect((await jsonLogin(user.username, WRONG)).status).toBe(429);
    expect((await jsonLogin(user.email, WRONG)).status).toBe(429);
  });

  it('wrong guesses by username, then by email - the growing delay counts them under one key', async () => {
    const user = await signUp(t.agent(), uniqueUser('backoff'));
    const failed = jest.spyOn(t.app.get(LoginBackoff), 'failed');
    try {
      await jsonLogin(user.username, WRONG);
      await jsonLogin(user.email, WRONG);
      expect(failed).toHaveBeenCalledTimes(2);
      expect(failed.mock.calls[0][0]).toBe(failed.mock.calls[1][0]);
    } finally {
      failed.mockRestore();
    }
  });

  it("a wrong password at re-authentication - the growing delay counts it with the account's wrong logins", async () => {
    const { user, agent } = await signUpBrowser(t);
    const failed = jest.spyOn(t.app.get(LoginBackoff), 'failed');
    try {
      await jsonLogin(user.username, WRONG);
      expect((await submitForm(agent, '/auth/reauth', { password: WRONG }, '/auth/reauth')).status).toBe(401);
      expect(failed).toHaveBeenCalledTimes(2);
      expect(failed.mock.calls[1][0]).toBe(failed.mock.calls[0][0]);
    } finally {
      failed.mockRestore();
    }
  });

  it('an unknown username and a real one, guessed alike - the same statuses and the same header names throughout', async () => {
    const real = await signUp(t.agent(), uniqueUser('real'));
    const unknown = uniqueUser('ghost');
    const answers = async (username: string) => {
      const seen: string[] = [];
      for (let i = 0; i < LIMIT + 2; i++) {
        const res = await jsonLogin(username, WRONG);
        const names = Object.keys(res.headers)
          .filter((h) => !['date', 'etag', 'content-length', 'connection', 'keep-alive'].includes(h))
          .sort();
        seen.push(`${res.status} ${JSON.stringify(res.body)} ${names.join(',')}`.replace(/\d+ seconds/, 'N seconds'));
      }
      return seen;
    };
    expect(await answers(unknown.username)).toEqual(await answers(real.username));
  });

  it('logins for one account - no response carries a rate-limit header for the account count', async () => {
    const { user, browser } = await ownerWithDevice();
    const seen: string[] = [];
    const record = (res: { headers: Record<string, string> }) => seen.push(...Object.keys(res.headers));
    record(await jsonLogin(user.username, WRONG));
    record(await submitForm(browser, '/auth/login', { username: user.username, password: user.password }));
    record(await jsonLogin(user.username, WRONG));
    record(await jsonLogin(user.username, user.password));
    expect(seen.filter((h) => /ratelimit/i.test(h) && /account/i.test(h))).toEqual([]);
  });
});
