import { familyOf, loginBrowser, refreshWithCookie, sessionsJson, signUpBrowser, sleep } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';
import { apiLogin, apiRefresh, browserRefresh, clearsCookie, setCookie, signUp } from '../support/users';

/**
 * expired refresh tokens get 401 and cleared cookies.
 * Each app below has a lifetime of 2 s; the tests wait just past it.
 */
describe('token expiry', () => {
  describe('absolute lifetime (REFRESH_TOKEN_TTL 2s)', () => {
    let t: TestApp;
    beforeAll(async () => (t = await startTestApp({ REFRESH_TOKEN_TTL: '2s' })));
    afterAll(() => t.close());

    it('API refresh after REFRESH_TOKEN_TTL has passed - 401 JSON, no tokens', async () => {
      const user = await signUp(t.agent());
      const { refresh_token } = await apiLogin(t.agent(), user);
      await sleep(2200);
      const res = await apiRefresh(t.agent(), refresh_token);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, message: expect.any(String) });
    });

    it('browser refresh after REFRESH_TOKEN_TTL has passed - 401 and both cookies cleared', async () => {
      const { agent } = await signUpBrowser(t);
      await sleep(2200);
      const res = await browserRefresh(agent);
      expect(res.status).toBe(401);
      expect(clearsCookie(setCookie(res, 'access'))).toBe(true);
      expect(clearsCookie(setCookie(res, 'refresh'))).toBe(true);
    });

    it('refreshing before the end does not extend the login - the next token still dies at the original expiry (401)', async () => {
      const user = await signUp(t.agent());
      const { refresh_token } = await apiLogin(t.agent(), user);
      await sleep(1000);
      const renewed = await apiRefresh(t.agent(), refresh_token);
      expect(renewed.status).toBe(200);
      await sleep(1200);
      expect((await apiRefresh(t.agent(), renewed.body.refresh_token)).status).toBe(401);
    });

    it('interstitial form POST after REFRESH_TOKEN_TTL has passed - 303 to /auth/login keeping next', async () => {
      const { refreshToken } = await signUpBrowser(t);
      await sleep(2200);
      const res = await refreshWithCookie(t, refreshToken, 'html', '/profile');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/auth/login?next=%2Fprofile');
    });

    it('an expired login - its access token is refused on /account/sessions at once (401)', async () => {
      const { accessToken } = await signUpBrowser(t);
      expect((await sessionsJson(t, accessToken)).status).toBe(200);
      await sleep(2200);
      // The access token itself (ACCESS_TOKEN_TTL 5m) is still valid; the login is not.
      expect((await t.agent().get('/profile').set('Authorization', `Bearer ${accessToken}`)).status).toBe(200);
      expect((await sessionsJson(t, accessToken)).status).toBe(401);
    });
  });

  describe('idle lifetime (SESSION_IDLE_TTL 2s)', () => {
    let t: TestApp;
    beforeAll(async () => (t = await startTestApp({ SESSION_IDLE_TTL: '2s' })));
    afterAll(() => t.close());

    it('API refresh after SESSION_IDLE_TTL without use - 401', async () => {
      const user = await signUp(t.agent());
      const { refresh_token } = await apiLogin(t.agent(), user);
      await sleep(2200);
      expect((await apiRefresh(t.agent(), refresh_token)).status).toBe(401);
    });

    it('a login used more often than SESSION_IDLE_TTL - stays alive past it, while an unused one of the same user ends and leaves the list', async () => {
      const used = await signUpBrowser(t);
      const idle = await loginBrowser(t, used.user);
      await sleep(1200);
      expect((await browserRefresh(used.agent)).status).toBe(200);
      await sleep(1200);
      // 2.4 s after both logins: the used one was active 1.2 s ago, the idle one never.
      expect((await apiRefresh(t.agent(), idle.refreshToken)).status).toBe(401);
      const list = await sessionsJson(t, used.accessToken);
      expect(list.status).toBe(200);
      expect(list.body.map((s: { id: string }) => s.id)).toEqual([familyOf(used.refreshToken)]);
      expect((await browserRefresh(used.agent)).status).toBe(200);
    });
  });
});
