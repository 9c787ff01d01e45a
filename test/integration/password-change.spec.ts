import request from 'supertest';
import { Agent, loginBrowser, sessionsJson, signUpBrowser } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';
import { apiLogin, apiRefresh, browserRefresh, csrfToken, TestUser } from '../support/users';
import { AccountErrors } from '../../src/account/account.errors';
import { PASSWORD_MESSAGES } from '../../src/users/dto/password.rules';

/** changing the password needs the current one, follows the sign-up rules and ends every other login. */
describe('password change', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const NEW_PASSWORD = 'a-Fresh-passphrase-42';

  const change = async (agent: Agent, fields: { currentPassword: string; newPassword: string }) => {
    const _csrf = await csrfToken(agent, '/account/password');
    return agent
      .post('/account/password')
      .set('Accept', 'text/html')
      .type('form')
      .send({ ...fields, _csrf });
  };
  const jsonLogin = (user: TestUser, password: string) => t.agent().post('/auth/login').send({ username: user.username, password });

  it('GET /account/password - 200 form with currentPassword, newPassword and _csrf posting to /account/password', async () => {
    const { agent } = await signUpBrowser(t);
    const res = await agent.get('/account/password').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    const form = /<form method="post" action="\/account\/password"[^>]*>([\s\S]*?)<\/form>/.exec(res.text)?.[1];
    expect(form).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
    expect(form).toMatch(/name="currentPassword"[^>]*type="password"|type="password"[^>]*name="currentPassword"/);
    expect(form).toMatch(/name="newPassword"[^>]*type="password"|type="password"[^>]*name="newPassword"/);
  });

  it('GET /account/password logged out - 303 to /auth/login?next=%2Faccount%2Fpassword', async () => {
    const res = await t.agent().get('/account/password').set('Accept', 'text/html');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/auth/login?next=%2Faccount%2Fpassword');
  });

  it('change with the right current password - 303 to /account/password, which confirms it once', async () => {
    const { agent, user } = await signUpBrowser(t);
    const res = await change(agent, { currentPassword: user.password, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/account/password');
    const page = await agent.get(res.headers.location).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Your password was changed');
    // A notice, not a state of the page: a reload no longer shows it.
    expect((await agent.get('/account/password').set('Accept', 'text/html')).text).not.toContain('Your password was changed');
  });

  it('change - every other login of the user ends (refresh 401, access refused on /account/sessions) and this one continues', async () => {
    const current = await signUpBrowser(t);
    const otherBrowser = await loginBrowser(t, current.user);
    const otherApi = await apiLogin(t.agent(), current.user);
    expect((await change(current.agent, { currentPassword: current.user.password, newPassword: NEW_PASSWORD })).status).toBe(303);
    expect((await apiRefresh(t.agent(), otherBrowser.refreshToken)).status).toBe(401);
    expect((await apiRefresh(t.agent(), otherApi.refresh_token)).status).toBe(401);
    expect((await sessionsJson(t, otherApi.access_token)).status).toBe(401);
    // This login: the sensitive page, then a refresh, then the page again.
    const mine = await current.agent.get('/account/sessions').set('Accept', 'application/json');
    expect(mine.status).toBe(200);
    expect(mine.body.map((s: { id: string }) => s.id)).toEqual([current.sessionId]);
    expect((await browserRefresh(current.agent)).status).toBe(200);
    expect((await current.agent.get('/account/sessions').set('Accept', 'application/json')).status).toBe(200);
  });

  it('change - the new password logs in and the old one gets 401', async () => {
    const { agent, user } = await signUpBrowser(t);
    expect((await change(agent, { currentPassword: user.password, newPassword: NEW_PASSWORD })).status).toBe(303);
    expect((await jsonLogin(user, NEW_PASSWORD)).status).toBe(200);
    const old = await jsonLogin(user, user.password);
    expect(old.status).toBe(401);
    expect(old.body.access_token).toBeUndefined();
  });

  it("change - leaves another user's logins alone", async () => {
    const { agent, user } = await signUpBrowser(t);
    const bystander = await signUpBrowser(t);
    expect((await change(agent, { currentPassword: user.password, newPassword: NEW_PASSWORD })).status).toBe(303);
    expect((await apiRefresh(t.agent(), bystander.refreshToken)).status).toBe(200);
  });

  it('change as JSON with a Bearer token - 2xx { message, endedSessions } counting the other logins', async () => {
    const { user } = await signUpBrowser(t);
    await apiLogin(t.agent(), user);
    const api = await apiLogin(t.agent(), user);
    const res = await request(t.app.getHttpServer())
      .post('/account/password')
      .set('Authorization', `Bearer ${api.access_token}`)
      .send({ currentPassword: user.password, newPassword: NEW_PASSWORD });
    // The contract fixes only the form's 303; Nest answers a JSON POST with 201.
    expect([200, 201]).toContain(res.status);
    expect(res.body).toEqual({ message: expect.any(String), endedSessions: 2 });
  });

  it('change with a wrong current password - 401, the form re-rendered with a currentPassword error and no password echoed', async () => {
    const { agent, user } = await signUpBrowser(t);
    const res = await change(agent, { currentPassword: 'not-my-password-1', newPassword: NEW_PASSWORD });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<form method="post" action="/account/password"');
    expect(res.text).toContain(AccountErrors.WRONG_CURRENT_PASSWORD.message);
    expect(res.text).not.toContain('not-my-password-1');
    expect(res.text).not.toContain(NEW_PASSWORD);
    expect(res.text).not.toContain(user.password);
  });

  it('change with a wrong current password - nothing changes: no login ended, the old password still works', async () => {
    const { agent, user } = await signUpBrowser(t);
    const other = await apiLogin(t.agent(), user);
    expect((await change(agent, { currentPassword: 'not-my-password-1', newPassword: NEW_PASSWORD })).status).toBe(401);
    expect((await apiRefresh(t.agent(), other.refresh_token)).status).toBe(200);
    expect((await jsonLogin(user, user.password)).status).toBe(200);
    expect((await jsonLogin(user, NEW_PASSWORD)).status).toBe(401);
  });

  it('change with a wrong current password, JSON - 401 JSON', async () => {
    const { user } = await signUpBrowser(t);
    const api = await apiLogin(t.agent(), user);
    const res = await request(t.app.getHttpServer())
      .post('/account/password')
      .set('Authorization', `Bearer ${api.access_token}`)
      .send({ currentPassword: 'not-my-password-1', newPassword: NEW_PASSWORD });
    expect(res.status).toBe(401);
    expect(res.body.statusCode).toBe(401);
  });

  it.each([
    ['too short', () => 'aB3$x'],
    ['too common', () => 'password123'],
    ['too common in other case', () => 'Password123'],
    ['over 64 characters', () => 'x'.repeat(65)],
  ])('change to a %s new password - 422 with a newPassword error, the old password kept and no login ended', async (_, weak) => {
    const { agent, user } = await signUpBrowser(t);
    const other = await apiLogin(t.agent(), user);
    const res = await change(agent, { currentPassword: user.password, newPassword: weak() });
    expect(res.status).toBe(422);
    expect(res.text).toContain('<form method="post" action="/account/password"');
    expect(res.text).toMatch(/id="newPassword[^"]*"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="newPassword/);
    expect((await jsonLogin(user, user.password)).status).toBe(200);
    expect((await apiRefresh(t.agent(), other.refresh_token)).status).toBe(200);
  });

  it.each([
    ['the username', (u: TestUser) => u.username],
    ['the username in upper case', (u: TestUser) => u.username.toUpperCase()],
  ])('change to a new password equal to %s - 422 and the old password kept', async (_, weak) => {
    const { agent, user } = await signUpBrowser(t);
    const res = await change(agent, { currentPassword: user.password, newPassword: weak(user) });
    expect(res.status).toBe(422);
    expect(res.text).toContain(PASSWORD_MESSAGES.sameAsUsername);
    expect((await jsonLogin(user, user.password)).status).toBe(200);
  });

  it('change to a weak password, JSON - 422 JSON with a newPassword field error', async () => {
    const { user } = await signUpBrowser(t);
    const api = await apiLogin(t.agent(), user);
    const res = await request(t.app.getHttpServer())
      .post('/account/password')
      .set('Authorization', `Bearer ${api.access_token}`)
      .send({ currentPassword: user.password, newPassword: 'password123' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ statusCode: 422, errors: { newPassword: expect.any(String) } });
  });

  it('change without _csrf - 403 and the password unchanged', async () => {
    const { agent, user } = await signUpBrowser(t);
    const res = await agent
      .post('/account/password')
      .set('Accept', 'text/html')
      .type('form')
      .send({ currentPassword: user.password, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(403);
    expect((await jsonLogin(user, user.password)).status).toBe(200);
  });

  it('change from a login that was ended elsewhere (access token still unexpired) - 401 and the password unchanged', async () => {
    const { user, accessToken } = await signUpBrowser(t);
    const other = await loginBrowser(t, user);
    const end = await other.agent
      .post('/account/sessions/revoke-others')
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: await csrfToken(other.agent, '/account/sessions') });
    expect(end.status).toBe(303);
    const res = await request(t.app.getHttpServer())
      .post('/account/password')
      .set('Authorization', `Bearer ${accessToken}`)
      .send({ currentPassword: user.password, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(401);
    expect((await jsonLogin(user, user.password)).status).toBe(200);
  });
});
