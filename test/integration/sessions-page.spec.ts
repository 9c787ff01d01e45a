import request from 'supertest';
import { Agent, familyOf, loginBrowser, sessionsJson, signUpBrowser, storedSession } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';
import { apiRefresh, browserRefresh, clearsCookie, metaCsrf, setCookie, submitForm } from '../support/users';

const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const LOCAL_IP = /^(127\.0\.0\.1|::1)$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

interface SessionRow {
  id: string;
  current: boolean;
  userAgent: string;
  ip: string;
  createdAt: string;
  lastUsedAt: string;
}

/** the sessions page, ending one login or all others, logout. */
describe('sessions page', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const ids = (rows: SessionRow[]) => rows.map((row) => row.id).sort();
  const revoke = (agent: Agent, id: string) => submitForm(agent, `/account/sessions/${id}/revoke`, {}, '/account/sessions');
  const revokeOthers = (agent: Agent) => submitForm(agent, '/account/sessions/revoke-others', {}, '/account/sessions');
  const listOf = async (agent: Agent): Promise<SessionRow[]> => {
    const res = await agent.get('/account/sessions').set('Accept', 'application/json');
    expect(res.status).toBe(200);
    return res.body;
  };

  /** One user logged in three times: Firefox (sign-up), Chrome (form login) and an API client. */
  const threeLogins = async () => {
    const firefox = await signUpBrowser(t, FIREFOX_LINUX);
    const chrome = await loginBrowser(t, firefox.user, { userAgent: CHROME_WINDOWS });
    const api = await request(t.app.getHttpServer())
      .post('/auth/login')
      .set('User-Agent', 'curl/8.5.0')
      .send({ username: firefox.user.username, password: firefox.user.password });
    expect(api.status).toBe(200);
    return {
      firefox,
      chrome,
      api: { ...api.body, sessionId: familyOf(api.body.refresh_token) } as {
        access_token: string;
        refresh_token: string;
        sessionId: string;
      },
    };
  };

  describe('listing', () => {
    it('GET /account/sessions as JSON with three logins - one entry each with id, current, userAgent, ip, createdAt, lastUsedAt', async () => {
      const { firefox, chrome, api } = await threeLogins();
      const rows = await listOf(chrome.agent);
      expect(ids(rows)).toEqual([firefox.sessionId, chrome.sessionId, api.sessionId].sort());
      const byId = Object.fromEntries(rows.map((row) => [row.id, row]));
      expect(byId[firefox.sessionId]).toMatchObject({ current: false, userAgent: FIREFOX_LINUX });
      expect(byId[chrome.sessionId]).toMatchObject({ current: true, userAgent: CHROME_WINDOWS });
      expect(byId[api.sessionId]).toMatchObject({ current: false, userAgent: 'curl/8.5.0' });
      for (const row of rows) {
        expect(row).toEqual(
          expect.objectContaining({
            ip: expect.stringMatching(LOCAL_IP),
            createdAt: expect.stringMatching(ISO),
            lastUsedAt: expect.stringMatching(ISO),
          }),
        );
        expect(Date.parse(row.lastUsedAt)).toBeGreaterThanOrEqual(Date.parse(row.createdAt));
      }
    });

    it('a login sent with a forged X-Forwarded-For (TRUST_PROXY unset) - the listed ip is the real peer, not the forged one', async () => {
      const { user } = await signUpBrowser(t);
      const res = await request(t.app.getHttpServer())
        .post('/auth/login')
        .set('X-Forwarded-For', '203.0.113.9')
        .send({ username: user.username, password: user.password });
      expect(res.status).toBe(200);
      const rows: SessionRow[] = (await sessionsJson(t, res.body.access_token)).body;
      expect(rows.find((row) => row.id === familyOf(res.body.refresh_token))?.ip).toMatch(LOCAL_IP);
    });

    it("GET /account/sessions from each of three logins - exactly one entry is current, and it is the caller's", async () => {
      const { firefox, chrome, api } = await threeLogins();
      const lists = [
        await listOf(firefox.agent),
        await listOf(chrome.agent),
        (await sessionsJson(t, api.access_token)).body as SessionRow[],
      ];
      const currents = lists.map((rows) => rows.filter((row) => row.current).map((row) => row.id));
      expect(currents).toEqual([[firefox.sessionId], [chrome.sessionId], [api.sessionId]]);
    });

    it("GET /account/sessions - never lists another user's logins", async () => {
      const mine = await signUpBrowser(t);
      const theirs = await signUpBrowser(t);
      const rows = await listOf(mine.agent);
      expect(ids(rows)).toEqual([mine.sessionId]);
      expect(ids(rows)).not.toContain(theirs.sessionId);
    });

    it("a refresh - moves that login's lastUsedAt forward and keeps its createdAt and id", async () => {
      const { agent, sessionId } = await signUpBrowser(t);
      const [before] = await listOf(agent);
      expect((await browserRefresh(agent)).status).toBe(200);
      const [after] = await listOf(agent);
      expect(after.id).toBe(sessionId);
      expect(after.createdAt).toBe(before.createdAt);
      expect(Date.parse(after.lastUsedAt)).toBeGreaterThan(Date.parse(before.lastUsedAt));
    });

    it('log-out in one browser - that login leaves the list seen from another (logout ends the current session)', async () => {
      const { firefox, chrome, api } = await threeLogins();
      expect((await submitForm(firefox.agent, '/auth/logout', {}, '/')).status).toBe(303);
      expect(ids(await listOf(chrome.agent))).toEqual([chrome.sessionId, api.sessionId].sort());
      expect(await storedSession(t, firefox.sessionId)).toMatchObject({ revokedReason: 'logout' });
    });

    it('GET /account/sessions as HTML with three logins - one row per login, "This device" only on the current row, an end form with _csrf on each', async () => {
      const { firefox, chrome, api } = await threeLogins();
      const res = await firefox.agent.get('/account/sessions').set('Accept', 'text/html');
      expect(res.status).toBe(200);
      const rows = [...res.text.matchAll(/<tr data-session-id="([^"]+)">([\s\S]*?)<\/tr>/g)].map((m) => ({ id: m[1], html: m[2] }));
      expect(rows.map((row) => row.id).sort()).toEqual([firefox.sessionId, chrome.sessionId, api.sessionId].sort());
      expect(rows.filter((row) => row.html.includes('This device')).map((row) => row.id)).toEqual([firefox.sessionId]);
      const byId = Object.fromEntries(rows.map((row) => [row.id, row.html]));
      expect(byId[firefox.sessionId]).toContain('Firefox 128 on Linux');
      expect(byId[chrome.sessionId]).toContain('Chrome 126 on Windows 10');
      for (const row of rows) {
        expect(row.html).toContain(`<form class="inline" method="post" action="/account/sessions/${row.id}/revoke">`);
        expect(row.html).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
      }
      // "Log out everywhere else" asks first, on a page whose form posts the action.
      expect(res.text).toContain('href="/account/sessions/revoke-others"');
      const confirm = await firefox.agent.get('/account/sessions/revoke-others').set('Accept', 'text/html');
      expect(confirm.status).toBe(200);
      expect(confirm.text).toMatch(
        /<form method="post" action="\/account\/sessions\/revoke-others" novalidate>\s*<input type="hidden" name="_csrf" value="[^"]+">/,
      );
      // Ids are shown; tokens never are.
      expect(res.text).not.toContain(firefox.refreshToken.split('.')[1]);
    });

    it('GET /account/sessions as HTML with a single login - one row and no "log out everywhere else" form', async () => {
      const { agent, sessionId } = await signUpBrowser(t);
      const res = await agent.get('/account/sessions').set('Accept', 'text/html');
      expect([...res.text.matchAll(/<tr data-session-id="([^"]+)">/g)].map((m) => m[1])).toEqual([sessionId]);
      expect(res.text).not.toContain('/account/sessions/revoke-others');
    });

    it('GET /account/sessions logged out - 303 to /auth/login?next=%2Faccount%2Fsessions as HTML, 401 JSON otherwise', async () => {
      const html = await t.agent().get('/account/sessions').set('Accept', 'text/html');
      expect(html.status).toBe(303);
      expect(html.headers.location).toBe('/auth/login?next=%2Faccount%2Fsessions');
      const json = await t.agent().get('/account/sessions').set('Accept', 'application/json');
      expect(json.status).toBe(401);
      expect(json.body.statusCode).toBe(401);
    });
  });

  describe('ending one login', () => {
    it('POST /account/sessions/:id/revoke for another of my logins - 303 to /account/sessions and it leaves the list', async () => {
      const { firefox, chrome, api } = await threeLogins();
      const res = await revoke(chrome.agent, firefox.sessionId);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/account/sessions');
      expect(setCookie(res, 'access')).toBeUndefined();
      expect(ids(await listOf(chrome.agent))).toEqual([chrome.sessionId, api.sessionId].sort());
    });

    it('ending a login - its refresh token gets 401, and its still-unexpired access token is refused on /account/sessions at once', async () => {
      const { firefox, chrome } = await threeLogins();
      expect((await sessionsJson(t, firefox.accessToken)).status).toBe(200);
      expect((await revoke(chrome.agent, firefox.sessionId)).status).toBe(303);
      expect((await apiRefresh(t.agent(), firefox.refreshToken)).status).toBe(401);
      expect((await browserRefresh(firefox.agent)).status).toBe(401);
      const res = await sessionsJson(t, firefox.accessToken);
      expect(res.status).toBe(401);
      expect(res.body.statusCode).toBe(401);
    });

    it('ending a login - the browser that did it keeps working (refresh 200)', async () => {
      const { firefox, chrome } = await threeLogins();
      expect((await revoke(chrome.agent, firefox.sessionId)).status).toBe(303);
      expect((await browserRefresh(chrome.agent)).status).toBe(200);
    });

    it('ending an API login by id - its refresh token gets 401', async () => {
      const { chrome, api } = await threeLogins();
      expect((await revoke(chrome.agent, api.sessionId)).status).toBe(303);
      expect((await apiRefresh(t.agent(), api.refresh_token)).status).toBe(401);
    });

    it('ending the current login from the list - 303, both cookies cleared, and its refresh token 401', async () => {
      const { agent, sessionId, refreshToken } = await signUpBrowser(t);
      const res = await revoke(agent, sessionId);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/account/sessions');
      expect(clearsCookie(setCookie(res, 'access'))).toBe(true);
      expect(clearsCookie(setCookie(res, 'refresh'))).toBe(true);
      expect((await apiRefresh(t.agent(), refreshToken)).status).toBe(401);
    });

    it("revoke of another user's login id - 303 but no effect: their refresh token works and their login is still listed", async () => {
      const attacker = await signUpBrowser(t);
      const victim = await signUpBrowser(t);
      const res = await revoke(attacker.agent, victim.sessionId);
      expect(res.status).toBe(303);
      expect(await storedSession(t, victim.sessionId)).toMatchObject({ revokedAt: null });
      expect(ids(await listOf(victim.agent))).toEqual([victim.sessionId]);
      expect((await apiRefresh(t.agent(), victim.refreshToken)).status).toBe(200);
    });

    it.each([
      ['too short', 'abc'],
      ['23 characters', 'A'.repeat(23)],
      ['with a dot', `${'A'.repeat(21)}.`],
      ['an operator', '%24ne'],
    ])('revoke with a malformed id (%s) - 404', async (_, id) => {
      const { agent } = await signUpBrowser(t);
      const html = await revoke(agent, id);
      expect(html.status).toBe(404);
      const token = metaCsrf(html.text);
      const json = await agent.post(`/account/sessions/${id}/revoke`).set('Accept', 'application/json').set('X-CSRF-Token', token);
      expect(json.status).toBe(404);
      expect(json.body).toEqual({ statusCode: 404, message: expect.any(String) });
    });

    it("revoke with a well-formed id of no login - 303 and the caller's own login untouched", async () => {
      const { agent, sessionId } = await signUpBrowser(t);
      const res = await revoke(agent, 'AAAAAAAAAAAAAAAAAAAAAA');
      expect(res.status).toBe(303);
      expect(ids(await listOf(agent))).toEqual([sessionId]);
    });

    it('revoke without _csrf - 403 and the login is not ended', async () => {
      const { firefox, chrome } = await threeLogins();
      const res = await chrome.agent.post(`/account/sessions/${firefox.sessionId}/revoke`).set('Accept', 'text/html').type('form').send({});
      expect(res.status).toBe(403);
      expect((await apiRefresh(t.agent(), firefox.refreshToken)).status).toBe(200);
    });

    it('revoke from a login that has itself been ended (access token still unexpired) - 401, and the target login survives', async () => {
      const { firefox, chrome, api } = await threeLogins();
      expect((await revoke(chrome.agent, firefox.sessionId)).status).toBe(303);
      const res = await request(t.app.getHttpServer())
        .post(`/account/sessions/${api.sessionId}/revoke`)
        .set('Authorization', `Bearer ${firefox.accessToken}`)
        .set('Accept', 'application/json');
      expect(res.status).toBe(401);
      expect((await apiRefresh(t.agent(), api.refresh_token)).status).toBe(200);
    });
  });

  describe('ending every other login', () => {
    it('POST /account/sessions/revoke-others - 303 to /account/sessions, only this login left in the list', async () => {
      const { chrome } = await threeLogins();
      const res = await revokeOthers(chrome.agent);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/account/sessions');
      const rows = await listOf(chrome.agent);
      expect(rows).toEqual([expect.objectContaining({ id: chrome.sessionId, current: true })]);
    });

    it("revoke-others - every other login's refresh token gets 401 and this one keeps refreshing", async () => {
      const { firefox, chrome, api } = await threeLogins();
      expect((await revokeOthers(chrome.agent)).status).toBe(303);
      expect((await apiRefresh(t.agent(), firefox.refreshToken)).status).toBe(401);
      expect((await apiRefresh(t.agent(), api.refresh_token)).status).toBe(401);
      expect((await browserRefresh(chrome.agent)).status).toBe(200);
      expect((await browserRefresh(chrome.agent)).status).toBe(200);
    });

    it("revoke-others - leaves another user's logins alone", async () => {
      const mine = await signUpBrowser(t);
      const theirs = await signUpBrowser(t);
      expect((await revokeOthers(mine.agent)).status).toBe(303);
      expect((await apiRefresh(t.agent(), theirs.refreshToken)).status).toBe(200);
    });

    it('revoke-others without _csrf - 403 and no login ended', async () => {
      const { firefox, chrome } = await threeLogins();
      const res = await chrome.agent.post('/account/sessions/revoke-others').set('Accept', 'text/html').type('form').send({});
      expect(res.status).toBe(403);
      expect(ids(await listOf(chrome.agent))).toContain(firefox.sessionId);
    });

    it('revoke-others from an API client with its Bearer token - ends the browser logins, keeps the API one', async () => {
      const { firefox, chrome, api } = await threeLogins();
      const res = await request(t.app.getHttpServer())
        .post('/account/sessions/revoke-others')
        .set('Authorization', `Bearer ${api.access_token}`)
        .set('Accept', 'application/json');
      expect(res.status).toBe(303);
      expect((await apiRefresh(t.agent(), firefox.refreshToken)).status).toBe(401);
      expect((await apiRefresh(t.agent(), chrome.refreshToken)).status).toBe(401);
      expect(ids((await sessionsJson(t, api.access_token)).body)).toEqual([api.sessionId]);
    });
  });
});
