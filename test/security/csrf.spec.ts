/**
 * Attack 2: cross-site request forgery, on cookie-authenticated writes and
 * on the login form itself, and the Origin/Referer check as a second layer.
 * (Log-out and refresh CSRF are covered in test/integration/csrf.spec.ts.)
 */
import { startTestApp, TestApp } from '../support/test-app';
import { apiLogin, apiRefresh, csrfToken, setCookie, signUp, uniqueUser } from '../support/users';

/** Requests name this host, so a same-origin Origin header can be written down. */
const HOST = 'latchkey.test';
const SELF = `http://${HOST}`;
const EVIL = 'https://evil.example';

describe('CSRF', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  type Agent = ReturnType<TestApp['agent']>;

  function post(agent: Agent, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    const req = agent.post(path).set('Host', HOST).set('Accept', 'text/html').type('form');
    for (const [name, value] of Object.entries(headers)) req.set(name, value);
    return req.send(fields);
  }

  /** A logged-in browser plus a second login of the same user, whose refresh token shows whether "log out others" ran. */
  async function twoLogins() {
    const browser = t.agent();
    const user = await signUp(browser, uniqueUser('csrf'));
    const other = await apiLogin(t.agent(), user);
    return { browser, user, otherRefresh: other.refresh_token };
  }

  const newPassword = () => `New-${uniqueUser().password}`;

  describe('cookie-authenticated POST /account/password', () => {
    it('without a CSRF token - 403 and the password is unchanged', async () => {
      const browser = t.agent();
      const user = await signUp(browser, uniqueUser('csrf'));
      const res = await post(browser, '/account/password', { currentPassword: user.password, newPassword: newPassword() });
      expect(res.status).toBe(403);
      expect((await t.agent().post('/auth/login').send({ username: user.username, password: user.password })).status).toBe(200);
    });

    it('with a made-up CSRF token - 403 and the password is unchanged', async () => {
      const browser = t.agent();
      const user = await signUp(browser, uniqueUser('csrf'));
      const res = await post(browser, '/account/password', {
        currentPassword: user.password,
        newPassword: newPassword(),
        _csrf: 'aaaa-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
      });
      expect(res.status).toBe(403);
      expect((await t.agent().post('/auth/login').send({ username: user.username, password: user.password })).status).toBe(200);
    });

    it("with a valid token from another user's session - 403 and the password is unchanged", async () => {
      const victim = t.agent();
      const user = await signUp(victim, uniqueUser('victim'));
      const attacker = t.agent();
      await signUp(attacker, uniqueUser('attacker'));
      const attackersToken = await csrfToken(attacker, '/account/password');
      const res = await post(victim, '/account/password', {
        currentPassword: user.password,
        newPassword: newPassword(),
        _csrf: attackersToken,
      });
      expect(res.status).toBe(403);
      expect((await t.agent().post('/auth/login').send({ username: user.username, password: user.password })).status).toBe(200);
    });

    it("with a valid token from the same user's other browser - 403", async () => {
      const first = t.agent();
      const user = await signUp(first, uniqueUser('csrf'));
      const second = t.agent();
      await post(second, '/auth/login', { username: user.username, password: user.password, _csrf: await csrfToken(second) });
      const secondToken = await csrfToken(second, '/account/password');
      const res = await post(first, '/account/password', {
        currentPassword: user.password,
        newPassword: newPassword(),
        _csrf: secondToken,
      });
      expect(res.status).toBe(403);
    });

    it('with the token in X-CSRF-Token from another session - 403', async () => {
      const victim = t.agent();
      const user = await signUp(victim, uniqueUser('victim'));
      const attackersToken = await csrfToken(t.agent(), '/');
      const res = await victim
        .post('/account/password')
        .set('Accept', 'application/json')
        .set('X-CSRF-Token', attackersToken)
        .send({ currentPassword: user.password, newPassword: newPassword() });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ statusCode: 403, message: expect.any(String) });
    });

    it('with its own valid token - 303 and the password is changed (control)', async () => {
      const browser = t.agent();
      const user = await signUp(browser, uniqueUser('csrf'));
      const fresh = newPassword();
      const res = await post(browser, '/account/password', {
        currentPassword: user.password,
        newPassword: fresh,
        _csrf: await csrfToken(browser, '/account/password'),
      });
      expect(res.status).toBe(303);
      expect((await t.agent().post('/auth/login').send({ username: user.username, password: fresh })).status).toBe(200);
    });
  });

  describe('cookie-authenticated POST /account/sessions/revoke-others', () => {
    it('without a CSRF token - 403 and the other login survives', async () => {
      const { browser, otherRefresh } = await twoLogins();
      const res = await post(browser, '/account/sessions/revoke-others', {});
      expect(res.status).toBe(403);
      expect((await apiRefresh(t.agent(), otherRefresh)).status).toBe(200);
    });

    it('with a wrong CSRF token - 403 and the other login survives', async () => {
      const { browser, otherRefresh } = await twoLogins();
      const res = await post(browser, '/account/sessions/revoke-others', { _csrf: 'wrong' });
      expect(res.status).toBe(403);
      expect((await apiRefresh(t.agent(), otherRefresh)).status).toBe(200);
    });

    it("with another session's CSRF token - 403 and the other login survives", async () => {
      const { browser, otherRefresh } = await twoLogins();
      const res = await post(browser, '/account/sessions/revoke-others', { _csrf: await csrfToken(t.agent(), '/') });
      expect(res.status).toBe(403);
      expect((await apiRefresh(t.agent(), otherRefresh)).status).toBe(200);
    });
  });

  describe('Origin and Referer check (second layer, with a valid token)', () => {
    it.each([
      ['Origin', EVIL],
      ['Origin', 'null'],
      ['Origin', `http://${HOST}.evil.example`],
      ['Origin', `https://${HOST}`],
      ['Origin', `http://${HOST}:8443`],
      ['Referer', `${EVIL}/attack.html`],
      ['Referer', 'not a url'],
    ])('POST /account/sessions/revoke-others with %s: %s - 403 and the other login survives', async (header, value) => {
      const { browser, otherRefresh } = await twoLogins();
      const _csrf = await csrfToken(browser, '/account/sessions');
      const res = await post(browser, '/account/sessions/revoke-others', { _csrf }, { [header]: value });
      expect(res.status).toBe(403);
      expect((await apiRefresh(t.agent(), otherRefresh)).status).toBe(200);
    });

    it('POST with a cross-site Origin but a same-origin Referer - 403 (Origin is what counts)', async () => {
      const { browser } = await twoLogins();
      const _csrf = await csrfToken(browser, '/account/sessions');
      const res = await post(browser, '/account/sessions/revoke-others', { _csrf }, { Origin: EVIL, Referer: `${SELF}/account/sessions` });
      expect(res.status).toBe(403);
    });

    it('POST with the same-origin Origin and a valid token - 303, and the other login is ended', async () => {
      const { browser, otherRefresh } = await twoLogins();
      const _csrf = await csrfToken(browser, '/account/sessions');
      const res = await post(browser, '/account/sessions/revoke-others', { _csrf }, { Origin: SELF });
      expect(res.status).toBe(303);
      expect((await apiRefresh(t.agent(), otherRefresh)).status).toBe(401);
    });

    it('POST with a same-origin Referer and no Origin, and a valid token - 303', async () => {
      const { browser } = await twoLogins();
      const _csrf = await csrfToken(browser, '/account/sessions');
      const res = await post(browser, '/account/sessions/revoke-others', { _csrf }, { Referer: `${SELF}/account/sessions` });
      expect(res.status).toBe(303);
    });

    it('POST with neither Origin nor Referer (curl) and a valid token - 303', async () => {
      const { browser } = await twoLogins();
      const _csrf = await csrfToken(browser, '/account/sessions');
      const res = await post(browser, '/account/sessions/revoke-others', { _csrf });
      expect(res.status).toBe(303);
    });
  });

  describe("login CSRF (forcing a victim into the attacker's account)", () => {
    const attackerAccount = () => signUp(t.agent(), uniqueUser('attacker'));

    function expectNoLogin(res: Awaited<ReturnType<typeof post>>) {
      expect(res.status).toBe(403);
      expect(setCookie(res, 'access')).toBeUndefined();
      expect(setCookie(res, 'refresh')).toBeUndefined();
    }

    it.each([
      ['Origin', EVIL],
      ['Origin', 'null'],
      ['Referer', `${EVIL}/login-csrf.html`],
    ])('form POST /auth/login with a valid token and %s: %s - 403, no cookies set', async (header, value) => {
      const attacker = await attackerAccount();
      const victim = t.agent();
      const _csrf = await csrfToken(victim, '/auth/login');
      const res = await post(
        victim,
        '/auth/login',
        { username: attacker.username, password: attacker.password, _csrf },
        { [header]: value },
      );
      expectNoLogin(res);
    });

    it('form POST /auth/login from a browser with no CSRF cookie and no token - 403, no cookies set', async () => {
      const attacker = await attackerAccount();
      const res = await post(t.agent(), '/auth/login', { username: attacker.username, password: attacker.password }, { Origin: EVIL });
      expectNoLogin(res);
    });

    it('form POST /auth/login with no token even from this origin - 403, no cookies set', async () => {
      const attacker = await attackerAccount();
      const victim = t.agent();
      await csrfToken(victim, '/auth/login');
      const res = await post(victim, '/auth/login', { username: attacker.username, password: attacker.password }, { Origin: SELF });
      expectNoLogin(res);
    });

    it('a JSON body sent as text/plain (what a cross-site form can send) to /auth/login - 403, no tokens', async () => {
      const attacker = await attackerAccount();
      const res = await t
        .agent()
        .post('/auth/login')
        .set('Host', HOST)
        .set('Origin', EVIL)
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify({ username: attacker.username, password: attacker.password }));
      expect(res.status).toBe(403);
      expect(res.text).not.toContain('access_token');
    });

    it('a multipart form (what a cross-site form can send) to /auth/login - 403, no cookies set', async () => {
      const attacker = await attackerAccount();
      const res = await t
        .agent()
        .post('/auth/login')
        .set('Host', HOST)
        .field('username', attacker.username)
        .field('password', attacker.password);
      expectNoLogin(res);
    });

    it('form POST /auth/signup with a valid token and a cross-site Origin - 403 and no account created', async () => {
      const victim = t.agent();
      const user = uniqueUser('forced');
      const res = await post(victim, '/auth/signup', { ...user, _csrf: await csrfToken(victim, '/auth/signup') }, { Origin: EVIL });
      expectNoLogin(res);
      expect((await t.agent().post('/auth/login').send({ username: user.username, password: user.password })).status).toBe(401);
    });

    it('form POST /auth/login with a valid token and the same-origin Origin - 303 (control)', async () => {
      const user = await attackerAccount();
      const browser = t.agent();
      const res = await post(
        browser,
        '/auth/login',
        { username: user.username, password: user.password, _csrf: await csrfToken(browser) },
        { Origin: SELF },
      );
      expect(res.status).toBe(303);
      expect(setCookie(res, 'access')).toBeDefined();
    });
  });

  describe('several tabs', () => {
    it('two page loads give two different tokens - both work, in either order, and the first still works after the second', async () => {
      const browser = t.agent();
      await signUp(browser, uniqueUser('tabs'));
      const tab1 = await csrfToken(browser, '/profile');
      const tab2 = await csrfToken(browser, '/account/sessions');
      expect(tab1).not.toBe(tab2);
      expect((await post(browser, '/account/sessions/revoke-others', { _csrf: tab2 })).status).toBe(303);
      expect((await post(browser, '/account/sessions/revoke-others', { _csrf: tab1 })).status).toBe(303);
      expect((await post(browser, '/account/sessions/revoke-others', { _csrf: tab2 })).status).toBe(303);
      expect((await post(browser, '/auth/logout', { _csrf: tab1 })).status).toBe(303);
    });

    it('a token from a tab opened before a browser refresh - still works after the refresh', async () => {
      const browser = t.agent();
      await signUp(browser, uniqueUser('tabs'));
      const oldTab = await csrfToken(browser, '/profile');
      const refreshed = await browser
        .post('/auth/refresh')
        .set('Accept', 'application/json')
        .set('X-CSRF-Token', await csrfToken(browser, '/'));
      expect(refreshed.status).toBe(200);
      expect((await post(browser, '/account/sessions/revoke-others', { _csrf: oldTab })).status).toBe(303);
    });
  });
});
