import { usernameKey } from '../../src/users/identity';
import { MAX_OUTSTANDING_CHILDREN } from '../../src/sessions/refresh-rotation';
import { SecurityEvents } from '../../src/security/security-events';
import {
  familyOf,
  loginBrowser,
  refreshWithCookie,
  sessionsJson,
  signUpBrowser,
  storedSession,
  userId,
  usersModel,
} from '../support/lifecycle';
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
  submitForm,
} from '../support/users';
import { AuthErrors } from '../../src/auth/auth.errors';

/**
 * rotation with theft detection. The API-only cases of
 * T0/T1/T2 ordering are in refresh.spec.ts; this suite covers the browser
 * (cookie jar) side, what reuse and revocation do to the rest of the login,
 * and disabled users.
 */
describe('token lifecycle', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const expectCookiesCleared = (res: Parameters<typeof setCookie>[0]) => {
    expect(clearsCookie(setCookie(res, 'access'))).toBe(true);
    expect(clearsCookie(setCookie(res, 'refresh'))).toBe(true);
  };

  describe('concurrent refresh', () => {
    it('two tabs refreshing with one cookie jar at the same moment - both 200, and the browser keeps refreshing and reading its profile', async () => {
      // Five browsers at once make a lost update or a false reuse show up reliably.
      const results = await Promise.all(
        Array.from({ length: 5 }, async () => {
          const { agent, user } = await signUpBrowser(t);
          const pair = await Promise.all([browserRefresh(agent), browserRefresh(agent)]);
          const after: number[] = [];
          for (let i = 0; i < 3; i++) after.push((await browserRefresh(agent)).status);
          const profile = await agent.get('/profile').set('Accept', 'application/json');
          return {
            pair: pair.map((r) => r.status),
            newCookies: pair.map((r) => cookieValue(r, 'refresh') !== undefined),
            after,
            profile: profile.status === 200 && profile.body.username === user.username,
          };
        }),
      );
      expect(results).toEqual(Array(5).fill({ pair: [200, 200], newCookies: [true, true], after: [200, 200, 200], profile: true }));
    });

    it('four API refreshes with one token in parallel, then each of the four new tokens in turn - all 200', async () => {
      // Every tab of a burst must stay logged in with the token it received,
      // not only the tab that happens to refresh first afterwards.
      const user = await signUp(t.agent());
      const { refresh_token: t0 } = await apiLogin(t.agent(), user);
      const burst = await Promise.all([1, 2, 3, 4].map(() => apiRefresh(t.agent(), t0)));
      expect(burst.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      const issued = burst.map((r) => r.body.refresh_token as string);
      expect(new Set(issued).size).toBe(4);
      const next: string[] = [];
      for (const token of issued) {
        const res = await apiRefresh(t.agent(), token);
        expect(res.status).toBe(200);
        next.push(res.body.refresh_token);
      }
      // And the login goes on from the newest token.
      expect((await apiRefresh(t.agent(), next[3])).status).toBe(200);
    });

    it('six API refreshes with one token in parallel (more than the children kept), then each token issued - every one 200, never taken for theft', async () => {
      // Six tabs restored at once each load the interstitial and POST the same cookie.
      // The server may refuse part of such a burst (a retryable 503), but a token it
      // did hand out must not later count as reuse and end the honest user's login.
      const user = await signUp(t.agent());
      const { refresh_token: t0 } = await apiLogin(t.agent(), user);
      const burst = await Promise.all([1, 2, 3, 4, 5, 6].map(() => apiRefresh(t.agent(), t0)));
      burst.forEach((r) => expect([200, 503]).toContain(r.status));
      const issued = burst.filter((r) => r.status === 200).map((r) => r.body.refresh_token as string);
      expect(issued.length).toBeGreaterThan(0);
      const statuses: number[] = [];
      for (const token of issued) statuses.push((await apiRefresh(t.agent(), token)).status);
      expect(statuses).toEqual(issued.map(() => 200));
    });
  });

  describe('concurrent refresh on a busy server', () => {
    it('twenty logins each refreshing from four tabs at once - all 200, none turned away with 503', async () => {
      // Contention on one login must not fail merely because the server is busy with
      // others: an honest tab that loses the race should wait its turn, not get 503.
      const logins = await Promise.all(Array.from({ length: 20 }, async () => apiLogin(t.agent(), await signUp(t.agent()))));
      const statuses = await Promise.all(
        logins.flatMap(({ refresh_token }) => [1, 2, 3, 4].map(async () => (await apiRefresh(t.agent(), refresh_token)).status)),
      );
      const counts: Record<number, number> = {};
      statuses.forEach((status) => (counts[status] = (counts[status] ?? 0) + 1));
      expect(counts).toEqual({ 200: 80 });
    }, 60_000);
  });

  describe('bounded children', () => {
    it(`the first token replayed ten times before any child is used - every replay 200, and at most ${MAX_OUTSTANDING_CHILDREN} children are stored`, async () => {
      const { refreshToken, sessionId } = await signUpBrowser(t);
      const statuses: number[] = [];
      let last = '';
      for (let i = 0; i < 10; i++) {
        const res = await apiRefresh(t.agent(), refreshToken);
        statuses.push(res.status);
        last = res.body.refresh_token;
      }
      expect(statuses).toEqual(Array(10).fill(200));
      const stored = await storedSession(t, sessionId);
      expect(stored!.childHashes.length).toBeLessThanOrEqual(MAX_OUTSTANDING_CHILDREN);
      // The newest child is one of those kept.
      expect((await apiRefresh(t.agent(), last)).status).toBe(200);
    });
  });

  describe('lost response', () => {
    it('a browser refresh whose response never arrived, retried with the same cookie - 200, and the retried token keeps working', async () => {
      const { agent, refreshToken: t0 } = await signUpBrowser(t);
      // The server rotates T0 -> T1, but the browser never sees T1: its jar still holds T0.
      const lost = await refreshWithCookie(t, t0);
      expect(lost.status).toBe(200);
      const retry = await browserRefresh(agent);
      expect(retry.status).toBe(200);
      expect(cookieValue(retry, 'refresh')).not.toBe(cookieValue(lost, 'refresh'));
      expect((await browserRefresh(agent)).status).toBe(200);
      expect((await browserRefresh(agent)).status).toBe(200);
    });
  });

  describe('reuse', () => {
    /** A browser holding T0 while someone else (the thief) has already rotated T0 -> T1 -> T2. */
    const stolenAndUsed = async () => {
      const login = await signUpBrowser(t);
      const t1 = (await apiRefresh(t.agent(), login.refreshToken)).body.refresh_token as string;
      const t2res = await apiRefresh(t.agent(), t1);
      expect(t2res.status).toBe(200);
      return { ...login, t1, t2: t2res.body.refresh_token as string };
    };

    it('browser refresh with a cookie whose successor was already used - 401 JSON and both cookies cleared', async () => {
      const { agent } = await stolenAndUsed();
      const res = await browserRefresh(agent);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, message: expect.any(String) });
      expectCookiesCleared(res);
    });

    it('reuse detected - the whole family is revoked: the newest token, its parent and the reused one all get 401', async () => {
      const { agent, refreshToken: t0, t1, t2 } = await stolenAndUsed();
      expect((await browserRefresh(agent)).status).toBe(401);
      for (const token of [t2, t1, t0]) expect((await apiRefresh(t.agent(), token)).status).toBe(401);
    });

    it('reuse detected - the session is stored as revoked for "reuse" and leaves the owner\'s session list', async () => {
      const { agent, user, sessionId } = await stolenAndUsed();
      const other = await apiLogin(t.agent(), user);
      const before = await sessionsJson(t, other.access_token);
      expect(before.body.map((s: { id: string }) => s.id)).toContain(sessionId);
      expect((await browserRefresh(agent)).status).toBe(401);
      expect(await storedSession(t, sessionId)).toMatchObject({ revokedAt: expect.any(Date), revokedReason: 'reuse' });
      const after = await sessionsJson(t, other.access_token);
      expect(after.status).toBe(200);
      expect(after.body.map((s: { id: string }) => s.id)).toEqual([familyOf(other.refresh_token)]);
    });

    it("reuse detected - the family's access token is refused at once on /account/sessions (401)", async () => {
      const { agent, accessToken } = await stolenAndUsed();
      expect((await sessionsJson(t, accessToken)).status).toBe(200);
      expect((await browserRefresh(agent)).status).toBe(401);
      const res = await sessionsJson(t, accessToken);
      expect(res.status).toBe(401);
      expect(res.body.statusCode).toBe(401);
    });

    it('reuse detected - records one refresh.reuse_detected security event naming the user, session and IP', async () => {
      const { agent, user, sessionId } = await stolenAndUsed();
      const record = jest.spyOn(t.app.get(SecurityEvents), 'record');
      try {
        expect((await browserRefresh(agent)).status).toBe(401);
        const reuse = record.mock.calls.filter(([event]) => event === 'refresh.reuse_detected');
        expect(reuse).toEqual([
          [
            'refresh.reuse_detected',
            { userId: await userId(t, user.username), sessionId, ip: expect.stringMatching(/^(127\.0\.0\.1|::1)$/) },
          ],
        ]);
      } finally {
        record.mockRestore();
      }
    });

    it('reuse through the interstitial form - 303 to /auth/login with next, and both cookies cleared', async () => {
      const { refreshToken: t0 } = await stolenAndUsed();
      const res = await refreshWithCookie(t, t0, 'html', '/account/sessions');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/auth/login?next=%2Faccount%2Fsessions');
      expectCookiesCleared(res);
    });

    it('a made-up secret presented for an existing login - 401 and cookies cleared, but the login is not revoked (its id is no secret)', async () => {
      const { refreshToken, sessionId } = await signUpBrowser(t);
      const res = await refreshWithCookie(t, `${sessionId}.${'A'.repeat(43)}`);
      expect(res.status).toBe(401);
      expectCookiesCleared(res);
      expect((await apiRefresh(t.agent(), refreshToken)).status).toBe(200);
    });

    it("reuse in one login - leaves the same user's other browser login refreshing", async () => {
      const { user, agent } = await stolenAndUsed();
      const other = await loginBrowser(t, user);
      expect((await browserRefresh(agent)).status).toBe(401);
      expect((await browserRefresh(other.agent)).status).toBe(200);
    });
  });

  describe('revoked and unknown tokens', () => {
    it('browser refresh of a login ended on /account/sessions from another browser - 401 and both cookies cleared', async () => {
      const first = await signUpBrowser(t);
      const second = await loginBrowser(t, first.user);
      const end = await submitForm(second.agent, `/account/sessions/${first.sessionId}/revoke`, {}, '/account/sessions');
      expect(end.status).toBe(303);
      const res = await browserRefresh(first.agent);
      expect(res.status).toBe(401);
      expectCookiesCleared(res);
      expect((await apiRefresh(t.agent(), first.refreshToken)).status).toBe(401);
    });

    it('a login ended while refreshes with its token race the revocation - stays ended: every token it issued gets 401', async () => {
      // A lost update here would let a refresh write over revokedAt and bring the login back.
      const results = await Promise.all(
        Array.from({ length: 5 }, async () => {
          const first = await signUpBrowser(t);
          const second = await loginBrowser(t, first.user);
          const _csrf = await csrfToken(second.agent, '/account/sessions');
          const [, ...refreshes] = await Promise.all([
            second.agent.post(`/account/sessions/${first.sessionId}/revoke`).set('Accept', 'text/html').type('form').send({ _csrf }),
            apiRefresh(t.agent(), first.refreshToken),
            apiRefresh(t.agent(), first.refreshToken),
          ]);
          const issued = refreshes.filter((r) => r.status === 200).map((r) => r.body.refresh_token as string);
          const later = await Promise.all(
            [first.refreshToken, ...issued].map(async (token) => (await apiRefresh(t.agent(), token)).status),
          );
          return {
            revoked: (await storedSession(t, first.sessionId))!.revokedAt instanceof Date,
            later: later.every((status) => status === 401),
          };
        }),
      );
      expect(results).toEqual(Array(5).fill({ revoked: true, later: true }));
    });

    it('refresh after logout, through the interstitial form - 303 to /auth/login with next and cookies cleared', async () => {
      const { agent, refreshToken } = await signUpBrowser(t);
      expect((await submitForm(agent, '/auth/logout', {}, '/')).status).toBe(303);
      const res = await refreshWithCookie(t, refreshToken, 'html', '/profile');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/auth/login?next=%2Fprofile');
      expectCookiesCleared(res);
    });

    it.each([
      ['not a token', 'garbage'],
      ['three parts', 'a.b.c'],
      ['too long', `${'a'.repeat(22)}.${'b'.repeat(120)}`],
      ['an unknown login', 'AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB'],
    ])('browser refresh with a refresh cookie that is %s - 401 JSON and both cookies cleared', async (_, token) => {
      const res = await refreshWithCookie(t, token);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, message: expect.any(String) });
      expectCookiesCleared(res);
      expect(cookieValue(res, 'refresh')).toBe('');
    });
  });

  describe('disabled user', () => {
    // Straight in the database, leaving the user's sessions open: these tests are
    // about what login and refresh do with the flag, not about the admin action
    // (admin.spec.ts), which also ends the sessions.
    const setDisabled = async (username: string, disabled: boolean) =>
      usersModel(t)
        .updateOne({ usernameKey: usernameKey(username) }, { $set: { disabled } })
        .exec();
    const disable = (username: string) => setDisabled(username, true);

    it('JSON login of a disabled user with the right password - 401 with the same body as a wrong password', async () => {
      const user = await signUp(t.agent());
      await disable(user.username);
      const right = await t.agent().post('/auth/login').send({ username: user.username, password: user.password });
      const wrong = await t
        .agent()
        .post('/auth/login')
        .send({ username: user.username, password: `${user.password}x` });
      expect(right.status).toBe(401);
      expect(right.body).toEqual(wrong.body);
      expect(right.body.access_token).toBeUndefined();
    });

    it('form login of a disabled user with the right password - 401, the generic message and no cookies', async () => {
      const user = await signUp(t.agent());
      await disable(user.username);
      const res = await submitForm(t.agent(), '/auth/login', { username: user.username, password: user.password });
      expect(res.status).toBe(401);
      expect(res.text).toContain(AuthErrors.INVALID_CREDENTIALS.message);
      expect(setCookie(res, 'access')).toBeUndefined();
      expect(setCookie(res, 'refresh')).toBeUndefined();
    });

    it('API refresh of a login whose user was disabled (sessions left open) - 401 and that login is ended', async () => {
      const user = await signUp(t.agent());
      const { refresh_token } = await apiLogin(t.agent(), user);
      await disable(user.username);
      const res = await apiRefresh(t.agent(), refresh_token);
      expect(res.status).toBe(401);
      expect(res.body.access_token).toBeUndefined();
      expect(await storedSession(t, familyOf(refresh_token))).toMatchObject({ revokedAt: expect.any(Date) });
    });

    it('browser refresh of a disabled user - 401 and both cookies cleared', async () => {
      const { agent, user } = await signUpBrowser(t);
      await disable(user.username);
      const res = await browserRefresh(agent);
      expect(res.status).toBe(401);
      expectCookiesCleared(res);
    });

    it('disabled then enabled again - can log in, but the login refused while disabled stays ended', async () => {
      const user = await signUp(t.agent());
      const { refresh_token } = await apiLogin(t.agent(), user);
      await disable(user.username);
      expect((await apiRefresh(t.agent(), refresh_token)).status).toBe(401);
      await setDisabled(user.username, false);
      expect((await apiRefresh(t.agent(), refresh_token)).status).toBe(401);
      const again = await t.agent().post('/auth/login').send({ username: user.username, password: user.password });
      expect(again.status).toBe(200);
      expect((await apiRefresh(t.agent(), again.body.refresh_token)).status).toBe(200);
    });
  });
});
