/**
 * Issue 17, finding 2: a stolen login (a Bearer token is enough) must not
 * guess the password through the routes that ask for the current one. Each
 * such check is a login attempt against the account: counted before bcrypt,
 * under the same RATE_LIMIT_PER_ACCOUNT budget and growing delay as failed
 * logins, whatever the route, and 429 with Retry-After past it, the right
 * password included.
 *
 * Apps here run with TRUST_PROXY=true so each login can come from a client
 * of its own by sending X-Forwarded-For (a header only; all traffic stays on
 * loopback), and only the per-account count can stop it.
 */
import { LoginBackoff } from '../../src/security/throttling/login-backoff';
import { UsersService } from '../../src/users/users.service';
import { loginBrowser, signUpBrowser } from '../support/lifecycle';
import { uniqueIp } from '../support/security';
import { startTestApp, TestApp } from '../support/test-app';
import { submitForm, TestUser, uniqueUser } from '../support/users';

const WRONG = 'Wrong-password-1';
const LIMIT = 5;
const WINDOW_SECONDS = 15 * 60;

/** Each route that asks for the current password, and a body for it that is valid but for that password. */
const ROUTES: Record<string, (password: string) => Record<string, string>> = {
  '/account/email': (currentPassword) => ({ newEmail: uniqueUser('moved').email, currentPassword }),
  '/account/delete': (currentPassword) => ({ currentPassword }),
  '/account/password': (currentPassword) => ({ currentPassword, newPassword: 'an-Other-passw0rd-for-guessing' }),
  '/account/2fa/disable': (currentPassword) => ({ currentPassword, code: '123456' }),
  '/auth/reauth': (password) => ({ password }),
};
const PATHS = Object.keys(ROUTES);

type Answer = { status: number; headers: Record<string, string> };

function expectThrottled(res: Answer) {
  expect(res.status).toBe(429);
  expect(res.headers['retry-after']).toMatch(/^\d+$/);
  expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(WINDOW_SECONDS);
}

describe(`current-password guessing behind a login (RATE_LIMIT_PER_ACCOUNT=${LIMIT}/15m)`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_IP: '100000/1m', RATE_LIMIT_PER_ACCOUNT: `${LIMIT}/15m`, TRUST_PROXY: 'true' });
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  /** A new account and the Bearer token of its sign-up, which spends none of the account's budget. */
  async function stolenToken(): Promise<{ user: TestUser; bearer: string }> {
    const { user, accessToken } = await signUpBrowser(t);
    return { user, bearer: `Bearer ${accessToken}` };
  }

  /** What the thief sends: JSON with the token, no cookies, from a client of its own. */
  function guess(bearer: string, path: string, password: string) {
    return t.agent().post(path).set('Authorization', bearer).set('X-Forwarded-For', uniqueIp()).send(ROUTES[path](password));
  }

  function jsonLogin(username: string, password: string) {
    return t.agent().post('/auth/login').set('X-Forwarded-For', uniqueIp()).send({ username, password });
  }

  it.each(PATHS)(
    '%s - 5 wrong current passwords with one token are 401, the 6th is 429 with Retry-After, and so is the right one',
    async (path) => {
      const { user, bearer } = await stolenToken();
      for (let i = 0; i < LIMIT; i++) expect((await guess(bearer, path, WRONG)).status).toBe(401);
      expectThrottled(await guess(bearer, path, WRONG));
      expectThrottled(await guess(bearer, path, user.password));
    },
  );

  it('one wrong guess on each of the five routes - the next, on any of them, is 429: one budget for the account', async () => {
    const { bearer } = await stolenToken();
    for (const path of PATHS) expect((await guess(bearer, path, WRONG)).status).toBe(401);
    for (const path of PATHS) expectThrottled(await guess(bearer, path, WRONG));
  });

  it('20 parallel wrong re-authentications with one token - at most 5 reach bcrypt and get 401, the rest 429', async () => {
    const { bearer } = await stolenToken();
    const compared = jest.spyOn(t.app.get(UsersService), 'verifyPassword');
    const answers = await Promise.all(Array.from({ length: 20 }, () => guess(bearer, '/auth/reauth', WRONG)));
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(LIMIT);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(compared.mock.calls.length).toBeLessThanOrEqual(LIMIT);
    answers.filter((res) => res.status === 429).forEach(expectThrottled);
  });

  it('20 parallel wrong guesses spread over the five routes - at most 5 password comparisons in all', async () => {
    const { bearer } = await stolenToken();
    const users = t.app.get(UsersService);
    const compared = [jest.spyOn(users, 'verifyPassword'), jest.spyOn(users, 'changePassword')];
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => guess(bearer, PATHS[i % PATHS.length], WRONG)));
    expect(answers.filter((res) => res.status === 401).length).toBeLessThanOrEqual(LIMIT);
    expect(compared.reduce((sum, spy) => sum + spy.mock.calls.length, 0)).toBeLessThanOrEqual(LIMIT);
  });

  it('3 failed logins by strangers, then wrong current passwords - the 3rd of those is 429: logins and checks share the budget', async () => {
    const { user, bearer } = await stolenToken();
    for (let i = 0; i < 3; i++) expect((await jsonLogin(user.username, WRONG)).status).toBe(401);
    expect((await guess(bearer, '/account/password', WRONG)).status).toBe(401);
    expect((await guess(bearer, '/auth/reauth', WRONG)).status).toBe(401);
    expectThrottled(await guess(bearer, '/account/delete', WRONG));
  });

  it('the budget spent by wrong current passwords - a login with the right password from a new client is 429 too (no oracle)', async () => {
    const { user, bearer } = await stolenToken();
    for (let i = 0; i < LIMIT; i++) await guess(bearer, PATHS[i], WRONG);
    expectThrottled(await jsonLogin(user.username, user.password));
    expectThrottled(await jsonLogin(user.email, WRONG));
  });

  it("the thief's guesses spend the budget - the owner, in the browser they logged in with before, still logs in (device cookie)", async () => {
    const { user, bearer } = await stolenToken();
    const owner = await loginBrowser(t, user);
    for (let i = 0; i < LIMIT; i++) await guess(bearer, '/auth/reauth', WRONG);
    expectThrottled(await guess(bearer, '/auth/reauth', WRONG));
    expectThrottled(await jsonLogin(user.username, user.password));
    const again = await submitForm(owner.agent, '/auth/login', { username: user.username, password: user.password });
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/profile');
  });

  it('the right current password refused with 429 - nothing changed: the password, the address and the account are as they were', async () => {
    const { user, bearer } = await stolenToken();
    for (let i = 0; i < LIMIT; i++) await guess(bearer, '/auth/reauth', WRONG);
    expectThrottled(await guess(bearer, '/account/password', user.password));
    expectThrottled(await guess(bearer, '/account/delete', user.password));
    const stored = await t.app.get(UsersService).findByUsername(user.username);
    expect(stored?.email).toBe(user.email);
    expect(await t.app.get(UsersService).verifyPassword(stored!.id, user.password)).not.toBeNull();
  });

  it('a wrong current password, then a failed login - the growing delay counts both under the one account key', async () => {
    const { user, bearer } = await stolenToken();
    const failed = jest.spyOn(t.app.get(LoginBackoff), 'failed');
    expect((await guess(bearer, '/account/email', WRONG)).status).toBe(401);
    expect((await jsonLogin(user.username, WRONG)).status).toBe(401);
    expect(failed).toHaveBeenCalledTimes(2);
    expect(failed.mock.calls[0][0]).toBe(failed.mock.calls[1][0]);
  });
});
