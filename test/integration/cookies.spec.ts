import request from 'supertest';
import { productionEnv, startTestApp, TestApp } from '../support/test-app';
import { browserRefresh, metaCsrf, parseSetCookie, setCookie, signUpWithTokens, submitForm, uniqueUser } from '../support/users';

function setCookieLines(res: request.Response): string[] {
  return (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
}

describe('cookies', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('sign-up - the access cookie is HttpOnly, SameSite=Lax, Path=/', async () => {
    const { res } = await signUpWithTokens(t.agent());
    const { name, attributes } = parseSetCookie(setCookie(res, 'access')!);
    expect(name).toContain('access');
    expect(attributes.httponly).toBe(true);
    expect(attributes.samesite).toBe('Lax');
    expect(attributes.path).toBe('/');
    expect(attributes.domain).toBeUndefined();
  });

  it('sign-up - the refresh cookie is HttpOnly, SameSite=Strict, Path=/auth', async () => {
    const { res } = await signUpWithTokens(t.agent());
    const { name, attributes } = parseSetCookie(setCookie(res, 'refresh')!);
    expect(name).toContain('refresh');
    expect(attributes.httponly).toBe(true);
    expect(attributes.samesite).toBe('Strict');
    expect(attributes.path).toBe('/auth');
  });

  it('GET a page - the CSRF secret cookie is HttpOnly and signed', async () => {
    const res = await t.agent().get('/auth/login').set('Accept', 'text/html');
    const { name, value, attributes } = parseSetCookie(setCookie(res, 'csrf')!);
    expect(name).toContain('csrf');
    expect(attributes.httponly).toBe(true);
    expect(attributes.path).toBe('/');
    expect(value).toMatch(/^s:/);
  });

  it('sign-up, form login and browser refresh - every cookie set is HttpOnly', async () => {
    const agent = t.agent();
    const { user, res: signup } = await signUpWithTokens(agent);
    const login = await submitForm(t.agent(), '/auth/login', { username: user.username, password: user.password });
    const refresh = await browserRefresh(agent);
    const lines = [signup, login, refresh].flatMap(setCookieLines);
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const line of lines) expect(parseSetCookie(line).attributes.httponly).toBe(true);
  });

  it('sign-up then the profile and home pages - no access or refresh token anywhere in the HTML', async () => {
    const agent = t.agent();
    const { accessToken, refreshToken } = await signUpWithTokens(agent);
    for (const path of ['/profile', '/']) {
      const res = await agent.get(path).set('Accept', 'text/html');
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(accessToken);
      expect(res.text).not.toContain(refreshToken);
      expect(res.text).not.toContain(refreshToken.split('.')[1]);
    }
  });

  it('sign-up and login redirects - no token in the Location URL', async () => {
    const agent = t.agent();
    const { user, res: signup } = await signUpWithTokens(agent);
    const login = await submitForm(t.agent(), '/auth/login', { username: user.username, password: user.password });
    expect(signup.headers.location).toBe('/profile');
    expect(login.headers.location).toBe('/profile');
  });

  it('form login without "remember" - access and refresh are session cookies (no Max-Age or Expires)', async () => {
    const { user } = await signUpWithTokens(t.agent());
    const res = await submitForm(t.agent(), '/auth/login', { username: user.username, password: user.password });
    for (const part of ['access', 'refresh']) {
      const { attributes } = parseSetCookie(setCookie(res, part)!);
      expect(attributes['max-age']).toBeUndefined();
      expect(attributes.expires).toBeUndefined();
    }
  });

  it('form login with "remember" - access and refresh cookies persist for the refresh-token lifetime', async () => {
    const { user } = await signUpWithTokens(t.agent());
    const res = await submitForm(t.agent(), '/auth/login', { username: user.username, password: user.password, remember: 'on' });
    expect(res.status).toBe(303);
    for (const part of ['access', 'refresh']) {
      const maxAge = Number(parseSetCookie(setCookie(res, part)!).attributes['max-age']);
      expect(maxAge).toBeGreaterThan(t.config.refreshTokenTtlSeconds - 60);
      expect(maxAge).toBeLessThanOrEqual(t.config.refreshTokenTtlSeconds);
    }
  });

  it('JSON login - sets no cookie, not even the CSRF one', async () => {
    const { user } = await signUpWithTokens(t.agent());
    const res = await t.agent().post('/auth/login').send({ username: user.username, password: user.password });
    expect(res.status).toBe(200);
    expect(setCookieLines(res)).toEqual([]);
  });
});

describe('cookies in production', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp(productionEnv())));
  afterAll(() => t.close());

  /** Secure cookies are not sent back over plain HTTP by a cookie jar, so the test carries them by hand. */
  async function productionSignUp() {
    const server = t.app.getHttpServer();
    const page = await request(server).get('/auth/signup').set('Accept', 'text/html');
    const csrfLine = setCookie(page, 'csrf')!;
    const _csrf = metaCsrf(page.text);
    const res = await request(server)
      .post('/auth/signup')
      .set('Accept', 'text/html')
      .set('Cookie', csrfLine.split(';')[0])
      .type('form')
      .send({ ...uniqueUser(), _csrf });
    return { csrfLine, res };
  }

  it('sign-up in production - 303 and the access cookie is __Host-, Secure, Path=/ with no Domain', async () => {
    const { res } = await productionSignUp();
    expect(res.status).toBe(303);
    const { name, attributes } = parseSetCookie(setCookie(res, 'access')!);
    expect(name.startsWith('__Host-')).toBe(true);
    expect(attributes.secure).toBe(true);
    expect(attributes.path).toBe('/');
    expect(attributes.domain).toBeUndefined();
    expect(attributes.httponly).toBe(true);
    expect(attributes.samesite).toBe('Lax');
  });

  it('sign-up in production - the refresh and CSRF cookies are Secure and HttpOnly', async () => {
    const { csrfLine, res } = await productionSignUp();
    const refresh = parseSetCookie(setCookie(res, 'refresh')!);
    expect(refresh.attributes).toMatchObject({ secure: true, httponly: true, samesite: 'Strict', path: '/auth' });
    const csrf = parseSetCookie(csrfLine);
    expect(csrf.attributes).toMatchObject({ secure: true, httponly: true });
  });
});
