import { jwtClaims } from '../support/jwt';
import { startTestApp, TestApp } from '../support/test-app';
import {
  apiLogin,
  apiRefresh,
  browserRefresh,
  clearsCookie,
  cookieValue,
  csrfToken,
  setCookie,
  signUp,
  signUpWithTokens,
} from '../support/users';

describe('refresh', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  /** A fresh API login: its first refresh token, T0. */
  const apiSession = async () => {
    const user = await signUp(t.agent());
    return { user, tokens: await apiLogin(t.agent(), user) };
  };
  /** Exchanges a refresh token through the API and returns the new one, failing loudly otherwise. */
  const rotateOk = async (token: string): Promise<string> => {
    const res = await apiRefresh(t.agent(), token);
    expect(res.status).toBe(200);
    return res.body.refresh_token as string;
  };

  describe('API client', () => {
    it('POST /auth/refresh with {refresh_token} - 200 with a new token pair for the same user', async () => {
      const { user, tokens } = await apiSession();
      const res = await apiRefresh(t.agent(), tokens.refresh_token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        refresh_token: expect.stringMatching(/^[\w-]+\.[\w-]+$/),
        token_type: 'Bearer',
        expires_in: t.config.accessTokenTtlSeconds,
      });
      expect(res.body.refresh_token).not.toBe(tokens.refresh_token);
      expect(jwtClaims(res.body.access_token)).toMatchObject({ sub: jwtClaims(tokens.access_token).sub, username: user.username });
      const profile = await t.agent().get('/profile').set('Authorization', `Bearer ${res.body.access_token}`);
      expect(profile.status).toBe(200);
      expect(profile.body.username).toBe(user.username);
    });

    it('API refresh - sets no cookies', async () => {
      const { tokens } = await apiSession();
      const res = await apiRefresh(t.agent(), tokens.refresh_token);
      expect(res.status).toBe(200);
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it.each([
      ['a malformed token', 'not-a-token'],
      ['a well-formed token of no login', 'AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB'],
    ])('API refresh with %s - 401 JSON', async (_, token) => {
      const res = await apiRefresh(t.agent(), token);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, message: expect.any(String) });
    });

    it('API refresh with the right login but a wrong secret - 401', async () => {
      const { tokens } = await apiSession();
      const [family] = tokens.refresh_token.split('.');
      const res = await apiRefresh(t.agent(), `${family}.${'x'.repeat(43)}`);
      expect(res.status).toBe(401);
      expect(res.body.access_token).toBeUndefined();
    });
  });

  describe('rotation', () => {
    it('T0->T1, T1->T2, then T0 again - 401 reuse', async () => {
      const { tokens } = await apiSession();
      const t0 = tokens.refresh_token;
      const t1 = await rotateOk(t0);
      await rotateOk(t1);
      const res = await apiRefresh(t.agent(), t0);
      expect(res.status).toBe(401);
      expect(res.body.statusCode).toBe(401);
    });

    it('reuse of T0 after T1->T2 - revokes the whole family, so T2 and T1 no longer work', async () => {
      const { tokens } = await apiSession();
      const t0 = tokens.refresh_token;
      const t1 = await rotateOk(t0);
      const t2 = await rotateOk(t1);
      expect((await apiRefresh(t.agent(), t0)).status).toBe(401);
      expect((await apiRefresh(t.agent(), t2)).status).toBe(401);
      expect((await apiRefresh(t.agent(), t1)).status).toBe(401);
    });

    it('T0 again before T1 is used - 200, a parent stays valid until one of its children is used', async () => {
      const { tokens } = await apiSession();
      const t0 = tokens.refresh_token;
      const t1 = await rotateOk(t0);
      const t1b = await rotateOk(t0);
      expect(t1b).not.toBe(t1);
      // Both children are live until one is used.
      await rotateOk(t1b);
    });

    it('T0->T1 and T0->T1b, then T1->T2 - T0 is reuse (401) and revokes the family, T2 included', async () => {
      const { tokens } = await apiSession();
      const t0 = tokens.refresh_token;
      const t1 = await rotateOk(t0);
      await rotateOk(t0);
      const t2 = await rotateOk(t1);
      expect((await apiRefresh(t.agent(), t0)).status).toBe(401);
      expect((await apiRefresh(t.agent(), t2)).status).toBe(401);
    });

    it('T0->T1 and T0->T1b, then T1->T2, then the sibling T1b at once - 200 (a racing tab stays logged in)', async () => {
      const { tokens } = await apiSession();
      const t0 = tokens.refresh_token;
      const t1 = await rotateOk(t0);
      const t1b = await rotateOk(t0);
      const t2 = await rotateOk(t1);
      await rotateOk(t1b);
      // The family is intact: the other tab's token still works.
      await rotateOk(t2);
    });

    it('T0->T1, T1->T2, then T1 again before T2 is used - 200 (a lost response can be retried)', async () => {
      const { tokens } = await apiSession();
      const t1 = await rotateOk(tokens.refresh_token);
      await rotateOk(t1);
      const retried = await rotateOk(t1);
      await rotateOk(retried);
    });

    it('four refreshes with one token at the same time (several logins) - all 200, and each new token works', async () => {
      // Tabs refreshing together must all stay logged in: each gets a child, and a child stays valid
      // until one of its siblings is used. Ten logins make a lost update show up reliably.
      const sessions = await Promise.all(Array.from({ length: 10 }, apiSession));
      const results = await Promise.all(
        sessions.map(async ({ tokens }) => {
          const responses = await Promise.all([1, 2, 3, 4].map(() => apiRefresh(t.agent(), tokens.refresh_token)));
          const issued = responses.map((r) => r.body.refresh_token as string);
          const next = await apiRefresh(t.agent(), issued[0]);
          return { statuses: responses.map((r) => r.status), distinct: new Set(issued).size, next: next.status };
        }),
      );
      expect(results).toEqual(Array(10).fill({ statuses: [200, 200, 200, 200], distinct: 4, next: 200 }));
    });

    it("reuse in one login - leaves the same user's other login working", async () => {
      const { user, tokens: first } = await apiSession();
      const second = await apiLogin(t.agent(), user);
      const t1 = await rotateOk(first.refresh_token);
      await rotateOk(t1);
      expect((await apiRefresh(t.agent(), first.refresh_token)).status).toBe(401);
      await rotateOk(second.refresh_token);
    });
  });

  describe('browser', () => {
    it('POST /auth/refresh with the refresh cookie and X-CSRF-Token - 200 { expires_in } and new cookies', async () => {
      const agent = t.agent();
      const { user, accessToken, refreshToken } = await signUpWithTokens(agent);
      const res = await browserRefresh(agent);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ expires_in: t.config.accessTokenTtlSeconds });
      const newAccess = cookieValue(res, 'access');
      const newRefresh = cookieValue(res, 'refresh');
      expect(newAccess).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(jwtClaims(newAccess!)).toMatchObject({ sub: jwtClaims(accessToken).sub, username: user.username, typ: 'access' });
      expect(newRefresh).toMatch(/^[\w-]+\.[\w-]+$/);
      expect(newRefresh).not.toBe(refreshToken);
      expect(JSON.stringify(res.body)).not.toContain(newRefresh);
      const profile = await agent.get('/profile');
      expect(profile.status).toBe(200);
      expect(profile.body.username).toBe(user.username);
    });

    it('browser refresh without the X-CSRF-Token header - 403 and no new cookies', async () => {
      const agent = t.agent();
      await signUp(agent);
      await csrfToken(agent, '/');
      const res = await agent.post('/auth/refresh').set('Accept', 'application/json');
      expect(res.status).toBe(403);
      expect(res.body.statusCode).toBe(403);
      expect(setCookie(res, 'access')).toBeUndefined();
      expect(setCookie(res, 'refresh')).toBeUndefined();
    });

    it('browser refresh with a wrong X-CSRF-Token - 403', async () => {
      const agent = t.agent();
      await signUp(agent);
      const res = await agent.post('/auth/refresh').set('Accept', 'application/json').set('X-CSRF-Token', 'wrong');
      expect(res.status).toBe(403);
      expect(setCookie(res, 'refresh')).toBeUndefined();
    });

    it('browser refresh with a CSRF token but no refresh cookie - 401 JSON', async () => {
      const agent = t.agent();
      const res = await browserRefresh(agent);
      expect(res.status).toBe(401);
      expect(res.body.statusCode).toBe(401);
    });

    it("two browser refreshes, then the first cookie replayed - 401, and the browser's next refresh is 401 with cookies cleared", async () => {
      const agent = t.agent();
      const { refreshToken: t0 } = await signUpWithTokens(agent);
      expect((await browserRefresh(agent)).status).toBe(200);
      expect((await browserRefresh(agent)).status).toBe(200);
      expect((await apiRefresh(t.agent(), t0)).status).toBe(401);
      const res = await browserRefresh(agent);
      expect(res.status).toBe(401);
      expect(clearsCookie(setCookie(res, 'access'))).toBe(true);
      expect(clearsCookie(setCookie(res, 'refresh'))).toBe(true);
    });

    it('interstitial form POST with _csrf and next - 303 to next with new cookies', async () => {
      const agent = t.agent();
      const { refreshToken } = await signUpWithTokens(agent);
      const _csrf = await csrfToken(agent, '/auth/refresh?next=%2Fprofile');
      const res = await agent.post('/auth/refresh').set('Accept', 'text/html').type('form').send({ _csrf, next: '/profile' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/profile');
      expect(cookieValue(res, 'refresh')).toMatch(/^[\w-]+\.[\w-]+$/);
      expect(cookieValue(res, 'refresh')).not.toBe(refreshToken);
    });

    it('GET /auth/refresh - renders the interstitial and rotates nothing', async () => {
      const agent = t.agent();
      await signUp(agent);
      const res = await agent.get('/auth/refresh?next=%2Fprofile').set('Accept', 'text/html');
      expect(res.status).toBe(200);
      expect(res.text).toContain('<form id="refresh-form" method="post" action="/auth/refresh">');
      expect(res.text).toContain('<input type="hidden" name="next" value="/profile">');
      expect(setCookie(res, 'access')).toBeUndefined();
      expect(setCookie(res, 'refresh')).toBeUndefined();
    });

    it('GET /auth/refresh without a refresh cookie - 303 to the login form, keeping next', async () => {
      const res = await t.agent().get('/auth/refresh?next=%2Fprofile').set('Accept', 'text/html');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/auth/login?next=%2Fprofile');
    });
  });
});
