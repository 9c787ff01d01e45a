import request from 'supertest';
import { AuthCookies } from '../../src/auth/auth-cookies';
import { startTestApp, TestApp } from '../support/test-app';
import {
  apiLogin,
  apiRefresh,
  browserRefresh,
  clearsCookie,
  csrfToken,
  metaCsrf,
  parseSetCookie,
  setCookie,
  signUpWithTokens,
  submitForm,
} from '../support/users';

describe('logout', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const logout = (agent: ReturnType<TestApp['agent']>) => submitForm(agent, '/auth/logout', {}, '/');

  it('log-out form with _csrf - 303 to /', async () => {
    const agent = t.agent();
    await signUpWithTokens(agent);
    const res = await logout(agent);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });

  it('log-out form - clears the access cookie (Path=/) and the refresh cookie (Path=/auth)', async () => {
    const agent = t.agent();
    await signUpWithTokens(agent);
    const res = await logout(agent);
    const access = setCookie(res, 'access');
    const refresh = setCookie(res, 'refresh');
    expect(clearsCookie(access)).toBe(true);
    expect(clearsCookie(refresh)).toBe(true);
    // A deletion only reaches the cookie set with the same path.
    expect(parseSetCookie(access!).attributes.path).toBe('/');
    expect(parseSetCookie(refresh!).attributes.path).toBe('/auth');
  });

  it('log-out form - the old refresh token is refused afterwards (401), the session is revoked server-side', async () => {
    const agent = t.agent();
    const { refreshToken } = await signUpWithTokens(agent);
    expect((await logout(agent)).status).toBe(303);
    const res = await apiRefresh(t.agent(), refreshToken);
    expect(res.status).toBe(401);
    expect(res.body.statusCode).toBe(401);
  });

  it('log-out form then GET /profile in the same browser - 303 to the login form', async () => {
    const agent = t.agent();
    await signUpWithTokens(agent);
    await logout(agent);
    const res = await agent.get('/profile').set('Accept', 'text/html');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/auth/login?next=%2Fprofile');
  });

  it('log-out form then a browser refresh - 401', async () => {
    const agent = t.agent();
    await signUpWithTokens(agent);
    await logout(agent);
    expect((await browserRefresh(agent)).status).toBe(401);
  });

  it("log-out in one browser - leaves the same user's other login working", async () => {
    const agent = t.agent();
    const { user } = await signUpWithTokens(agent);
    const other = await apiLogin(t.agent(), user);
    await logout(agent);
    expect((await apiRefresh(t.agent(), other.refresh_token)).status).toBe(200);
  });

  it('log-out with only the refresh cookie (access cookie gone) - still revokes that login', async () => {
    const { refreshToken } = await signUpWithTokens(t.agent());
    const page = await t.agent().get('/').set('Accept', 'text/html');
    const csrfCookie = setCookie(page, 'csrf')!.split(';')[0];
    const _csrf = metaCsrf(page.text);
    const refreshName = t.app.get(AuthCookies).refreshName;
    const res = await request(t.app.getHttpServer())
      .post('/auth/logout')
      .set('Accept', 'text/html')
      .set('Cookie', `${csrfCookie}; ${refreshName}=${refreshToken}`)
      .type('form')
      .send({ _csrf });
    expect(res.status).toBe(303);
    expect((await apiRefresh(t.agent(), refreshToken)).status).toBe(401);
  });

  it('log-out with JSON accepted and the token in X-CSRF-Token - 204 and the login is revoked', async () => {
    const agent = t.agent();
    const { refreshToken } = await signUpWithTokens(agent);
    const token = await csrfToken(agent, '/');
    const res = await agent.post('/auth/logout').set('Accept', 'application/json').set('X-CSRF-Token', token);
    expect(res.status).toBe(204);
    expect(clearsCookie(setCookie(res, 'access'))).toBe(true);
    expect((await apiRefresh(t.agent(), refreshToken)).status).toBe(401);
  });

  it('log-out form when not logged in - 303 to /, nothing to revoke', async () => {
    const res = await logout(t.agent());
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });
});
