import { loginBrowser, signUpBrowser, sleep, storedSession } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';
import { browserRefresh, metaCsrf, parseSetCookie, setCookie, signUp } from '../support/users';
import type { Response } from 'supertest';

/**
 * cookies.spec.ts checks the cookies of the login
 * response itself; this suite checks what rotation does with them and that
 * a persistent cookie never outlives the login's absolute expiry.
 */
describe('remember me', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ REFRESH_TOKEN_TTL: '1h' })));
  afterAll(() => t.close());

  const attributes = (res: Response, part: string) => parseSetCookie(setCookie(res, part)!).attributes;
  const expectSessionCookies = (res: Response) => {
    for (const part of ['access', 'refresh']) {
      expect(setCookie(res, part)).toBeDefined();
      expect(attributes(res, part)['max-age']).toBeUndefined();
      expect(attributes(res, part).expires).toBeUndefined();
    }
  };
  /** Expires of both cookies, in ms; the HTTP date has whole seconds. */
  const expiries = (res: Response) => ['access', 'refresh'].map((part) => Date.parse(attributes(res, part).expires as string));

  it('GET /auth/login - the form has an unchecked "remember" checkbox', async () => {
    const res = await t.agent().get('/auth/login').set('Accept', 'text/html');
    const box = /<input[^>]*name="remember"[^>]*>/.exec(res.text)?.[0];
    expect(box).toContain('type="checkbox"');
    expect(box).not.toContain('checked');
  });

  it('sign-up - access and refresh are browser-session cookies, and the login is stored as not persistent', async () => {
    const { res, sessionId } = await signUpBrowser(t);
    expectSessionCookies(res);
    expect(await storedSession(t, sessionId)).toMatchObject({ persistent: false });
  });

  it('browser refresh of a login without "remember" - the new cookies are still browser-session cookies', async () => {
    const user = await signUp(t.agent());
    const { agent } = await loginBrowser(t, user);
    const res = await browserRefresh(agent);
    expect(res.status).toBe(200);
    expectSessionCookies(res);
  });

  it('interstitial form refresh of a login without "remember" - the new cookies are still browser-session cookies', async () => {
    const user = await signUp(t.agent());
    const { agent } = await loginBrowser(t, user);
    const page = await agent.get('/auth/refresh?next=%2Fprofile').set('Accept', 'text/html');
    const _csrf = metaCsrf(page.text);
    const res = await agent.post('/auth/refresh').set('Accept', 'text/html').type('form').send({ _csrf, next: '/profile' });
    expect(res.status).toBe(303);
    expectSessionCookies(res);
  });

  it("login with remember=on - both cookies expire exactly at the login's stored absolute expiry (REFRESH_TOKEN_TTL)", async () => {
    const user = await signUp(t.agent());
    const { res, sessionId } = await loginBrowser(t, user, { remember: true });
    const stored = await storedSession(t, sessionId);
    expect(stored).toMatchObject({ persistent: true });
    const end = stored!.expiresAt.getTime();
    for (const expires of expiries(res)) {
      expect(expires).toBeLessThanOrEqual(end);
      expect(expires).toBeGreaterThan(end - 1000);
    }
    for (const part of ['access', 'refresh']) {
      expect(Number(attributes(res, part)['max-age'])).toBeLessThanOrEqual(t.config.refreshTokenTtlSeconds);
    }
  });

  it('browser refresh of a remember-me login later on - the new cookies are persistent but still end at the original absolute expiry', async () => {
    const user = await signUp(t.agent());
    const { agent, sessionId } = await loginBrowser(t, user, { remember: true });
    const end = (await storedSession(t, sessionId))!.expiresAt.getTime();
    // Long enough that a cookie lifetime restarted at the refresh would end later than the login.
    await sleep(1500);
    const res = await browserRefresh(agent);
    expect(res.status).toBe(200);
    for (const expires of expiries(res)) {
      expect(expires).toBeLessThanOrEqual(end);
      expect(expires).toBeGreaterThan(end - 1000);
    }
    for (const part of ['access', 'refresh']) {
      expect(Number(attributes(res, part)['max-age'])).toBeLessThan(t.config.refreshTokenTtlSeconds);
    }
  });

  it('a remember-me login and a plain login of one user - each keeps its own kind of cookie at refresh', async () => {
    const user = await signUp(t.agent());
    const remembered = await loginBrowser(t, user, { remember: true });
    const plain = await loginBrowser(t, user);
    const a = await browserRefresh(remembered.agent);
    const b = await browserRefresh(plain.agent);
    expect(attributes(a, 'refresh')['max-age']).toMatch(/^\d+$/);
    expectSessionCookies(b);
  });
});
