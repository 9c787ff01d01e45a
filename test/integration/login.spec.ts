import { startTestApp, TestApp } from '../support/test-app';
import { jwtClaims } from '../support/jwt';
import { cookieValue, setCookie, signUp, submitForm, TestUser, uniqueUser } from '../support/users';
import { AuthErrors } from '../../src/auth/auth.errors';

const GENERIC = AuthErrors.INVALID_CREDENTIALS.message;

describe('login', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const formLogin = (fields: Record<string, string>, agent = t.agent()) => submitForm(agent, '/auth/login', fields);
  const jsonLogin = (body: unknown) =>
    t
      .agent()
      .post('/auth/login')
      .send(body as object);
  const newUser = async (user: TestUser = uniqueUser()) => signUp(t.agent(), user);

  it('form login with username and password - 303 to /profile with access and refresh cookies', async () => {
    const user = await newUser();
    const res = await formLogin({ username: user.username, password: user.password });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/profile');
    expect(jwtClaims(cookieValue(res, 'access')!)).toMatchObject({ username: user.username });
    expect(cookieValue(res, 'refresh')).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('form login then GET /profile - 200 with the logged-in user', async () => {
    const user = await newUser();
    const agent = t.agent();
    await formLogin({ username: user.username, password: user.password }, agent);
    const res = await agent.get('/profile');
    expect(res.status).toBe(200);
    expect(res.body.username).toBe(user.username);
  });

  it('form login with the email instead of the username - 303 to /profile', async () => {
    const user = await newUser();
    const res = await formLogin({ username: user.email, password: user.password });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/profile');
    expect(jwtClaims(cookieValue(res, 'access')!)).toMatchObject({ username: user.username });
  });

  it('form login with the email exactly as typed at sign-up, with a full-width ＠ - 303 to /profile', async () => {
    const base = uniqueUser();
    const typed = base.email.replace('@', '\uFF20');
    const user = await newUser({ ...base, email: typed }); // sign-up stores the NFKC form, with "@"
    const res = await formLogin({ username: typed, password: user.password });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/profile');
  });

  it('form login with the username in upper case - 303, usernames ignore case', async () => {
    const user = await newUser();
    const res = await formLogin({ username: user.username.toUpperCase(), password: user.password });
    expect(res.status).toBe(303);
    expect(jwtClaims(cookieValue(res, 'access')!)).toMatchObject({ username: user.username });
  });

  it('form login with a local next path - 303 to that path', async () => {
    const user = await newUser();
    const res = await formLogin({ username: user.username, password: user.password, next: '/account/sessions?page=2' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/account/sessions?page=2');
  });

  it.each(['https://evil.example', '//evil.example', '/\\evil.example', 'evil.example'])(
    'form login with next=%s - 303 to /profile, never off-site',
    async (next) => {
      const user = await newUser();
      const res = await formLogin({ username: user.username, password: user.password, next });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/profile');
    },
  );

  it.each(['/.//evil.example', '/a/..//evil.example/path'])(
    'form login with next=%s (normalises to //evil.example) - 303 to a local path, never protocol-relative',
    async (next) => {
      const user = await newUser();
      const res = await formLogin({ username: user.username, password: user.password, next });
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/(?![/\\])/);
    },
  );

  it('GET /auth/login?next=//evil.example - the form carries next=/profile instead', async () => {
    const res = await t.agent().get('/auth/login?next=%2F%2Fevil.example').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<input type="hidden" name="next" value="/profile">');
    expect(res.text).not.toContain('evil.example');
  });

  it('form login with a wrong password - 401, form re-rendered with the generic message and the typed username', async () => {
    const user = await newUser();
    const wrong = `${user.password}-wrong`;
    const res = await formLogin({ username: user.username, password: wrong });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('<form method="post" action="/auth/login"');
    expect(res.text).toContain(GENERIC);
    expect(res.text).toContain(`name="username" type="text" value="${user.username}"`);
    expect(res.text).not.toContain(wrong);
    expect(setCookie(res, 'access')).toBeUndefined();
    expect(setCookie(res, 'refresh')).toBeUndefined();
  });

  it('form login with an unknown user - 401 with the same generic message', async () => {
    const res = await formLogin({ username: uniqueUser().username, password: 'whatever-123' });
    expect(res.status).toBe(401);
    expect(res.text).toContain(GENERIC);
  });

  it('JSON login - 200 with access_token, refresh_token, token_type Bearer and expires_in', async () => {
    const user = await newUser();
    const res = await jsonLogin({ username: user.username, password: user.password });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      refresh_token: expect.stringMatching(/^[\w-]+\.[\w-]+$/),
      token_type: 'Bearer',
      expires_in: t.config.accessTokenTtlSeconds,
      device_token: expect.stringMatching(/^[a-f0-9]{24}\.[\w-]{22}\.[\w-]{43}$/),
    });
    expect(jwtClaims(res.body.access_token)).toMatchObject({ username: user.username, roles: ['user'] });
  });

  it('JSON login - sets no cookies at all', async () => {
    const user = await newUser();
    const res = await jsonLogin({ username: user.username, password: user.password });
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('JSON login with the email - 200 with tokens for that user', async () => {
    const user = await newUser();
    const res = await jsonLogin({ username: user.email, password: user.password });
    expect(res.status).toBe(200);
    expect(jwtClaims(res.body.access_token)).toMatchObject({ username: user.username });
  });

  it('JSON login with a wrong password - 401 JSON with the generic message', async () => {
    const user = await newUser();
    const res = await jsonLogin({ username: user.username, password: `${user.password}x` });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, message: GENERIC });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('JSON login with an unknown user and with a wrong password - identical 401 bodies', async () => {
    const user = await newUser();
    const wrongPassword = await jsonLogin({ username: user.username, password: 'not-the-password' });
    const unknownUser = await jsonLogin({ username: uniqueUser().username, password: 'not-the-password' });
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(unknownUser.body).toEqual(wrongPassword.body);
  });

  it('JSON login with the right password plus extra characters after 72 bytes - 401', async () => {
    const user = await newUser({ ...uniqueUser(), password: 'é'.repeat(36) }); // exactly 72 bytes
    const ok = await jsonLogin({ username: user.username, password: user.password });
    expect(ok.status).toBe(200);
    const res = await jsonLogin({ username: user.username, password: `${user.password}anything` });
    expect(res.status).toBe(401);
  });

  it('JSON login without a password - 400 JSON', async () => {
    const user = await newUser();
    const res = await jsonLogin({ username: user.username });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, message: expect.any(String) });
  });

  it('JSON login with an operator object as the username - 400, no login', async () => {
    await newUser();
    const res = await jsonLogin({ username: { $ne: null }, password: { $ne: null } });
    expect(res.status).toBe(400);
    expect(res.body.access_token).toBeUndefined();
  });
});
