import { AuthCookies } from '../../src/auth/auth-cookies';
import { forgeJwt, jwtClaims, signWithAppKey } from '../support/jwt';
import { startTestApp, TestApp } from '../support/test-app';
import { apiLogin, signUp, signUpWithTokens, uniqueUser } from '../support/users';

/** Anything that looks like a bcrypt hash or names a password field. */
const PASSWORD_LEAK = /\$2[aby]\$\d\d\$|password|hash/i;

describe('profile', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('GET /profile by cookie with Accept text/html - 200 HTML page with username, email, roles and member-since', async () => {
    const agent = t.agent();
    const user = await signUp(agent);
    const res = await agent.get('/profile').set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain(`<dd data-testid="profile-username">${user.username}</dd>`);
    expect(res.text).toContain(`<dd>${user.email}</dd>`);
    expect(res.text).toContain('<dd>user</dd>');
    expect(res.text).toMatch(
      /<dt>Member since<\/dt>\s*<dd><time datetime="\d{4}-\d\d-\d\dT[\d:.]+Z" title="\d{1,2} [A-Z][a-z]+ \d{4} at \d\d:\d\d UTC">just now<\/time>\s*<\/dd>/,
    );
    expect(res.text).not.toMatch(/\$2[aby]\$\d\d\$/);
  });

  it('GET /profile by cookie with Accept application/json - 200 JSON profile without any password field', async () => {
    const agent = t.agent();
    const user = await signUp(agent);
    const res = await agent.get('/profile').set('Accept', 'application/json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      username: user.username,
      email: user.email,
      roles: ['user'],
    });
    expect(Object.keys(res.body).filter((key) => PASSWORD_LEAK.test(key))).toEqual([]);
    expect(JSON.stringify(res.body)).not.toMatch(/\$2[aby]\$\d\d\$/);
  });

  it('GET /profile by cookie without an Accept header - JSON, as curl gets', async () => {
    const agent = t.agent();
    const user = await signUp(agent);
    const res = await agent.get('/profile');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.username).toBe(user.username);
  });

  it('GET /profile with a Bearer token from JSON login - 200 JSON profile of that user', async () => {
    const user = await signUp(t.agent());
    const tokens = await apiLogin(t.agent(), user);
    const res = await t.agent().get('/profile').set('Authorization', `Bearer ${tokens.access_token}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: jwtClaims(tokens.access_token).sub, username: user.username, email: user.email });
    expect(Object.keys(res.body).filter((key) => PASSWORD_LEAK.test(key))).toEqual([]);
  });

  it("GET /profile with a Bearer token and another user's cookie - the Bearer user wins", async () => {
    const cookieAgent = t.agent();
    await signUp(cookieAgent);
    const bearerUser = await signUp(t.agent());
    const tokens = await apiLogin(t.agent(), bearerUser);
    const res = await cookieAgent.get('/profile').set('Authorization', `Bearer ${tokens.access_token}`);
    expect(res.status).toBe(200);
    expect(res.body.username).toBe(bearerUser.username);
  });

  it('GET /profile logged out, JSON - 401 JSON { statusCode, message }', async () => {
    const res = await t.agent().get('/profile').set('Accept', 'application/json');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({ statusCode: 401, message: expect.any(String) });
  });

  it('GET /profile logged out, HTML - 303 to /auth/login with next=/profile', async () => {
    const res = await t.agent().get('/profile').set('Accept', 'text/html');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/auth/login?next=%2Fprofile');
  });

  it('GET /profile, HTML, with an invalid access cookie - 303 towards the refresh page, keeping next', async () => {
    const res = await t
      .agent()
      .get('/profile')
      .set('Accept', 'text/html')
      .set('Cookie', `${t.app.get(AuthCookies).accessName}=expired.or.bad`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/auth/refresh?next=%2Fprofile');
  });

  it('GET /profile with a Bearer token signed by another key - 401', async () => {
    const { accessToken } = await signUpWithTokens(t.agent());
    const forged = forgeJwt(jwtClaims(accessToken), 'x'.repeat(48));
    const res = await t.agent().get('/profile').set('Authorization', `Bearer ${forged}`);
    expect(res.status).toBe(401);
  });

  it('GET /profile with an alg "none" token - 401', async () => {
    const { accessToken } = await signUpWithTokens(t.agent());
    const res = await t
      .agent()
      .get('/profile')
      .set('Authorization', `Bearer ${forgeJwt(jwtClaims(accessToken), '', 'none')}`);
    expect(res.status).toBe(401);
  });

  it('GET /profile with a correctly signed token that has no exp - 401', async () => {
    const { accessToken } = await signUpWithTokens(t.agent());
    const { exp: _, ...claims } = jwtClaims(accessToken);
    const res = await t
      .agent()
      .get('/profile')
      .set('Authorization', `Bearer ${signWithAppKey(t.app, claims)}`);
    expect(res.status).toBe(401);
  });

  it('GET /profile with a correctly signed token that is not an access token - 401', async () => {
    const { accessToken } = await signUpWithTokens(t.agent());
    const claims = { ...jwtClaims(accessToken), typ: 'refresh' };
    const res = await t
      .agent()
      .get('/profile')
      .set('Authorization', `Bearer ${signWithAppKey(t.app, claims)}`);
    expect(res.status).toBe(401);
  });

  it('GET /profile with a correctly signed, expired token - 401', async () => {
    const { accessToken } = await signUpWithTokens(t.agent());
    const now = Math.floor(Date.now() / 1000);
    const claims = { ...jwtClaims(accessToken), iat: now - 600, exp: now - 300 };
    const res = await t
      .agent()
      .get('/profile')
      .set('Authorization', `Bearer ${signWithAppKey(t.app, claims)}`);
    expect(res.status).toBe(401);
  });

  it('GET /profile with a correctly re-signed copy of a real token - 200 (control for the forgery tests)', async () => {
    const { user, accessToken } = await signUpWithTokens(t.agent(), uniqueUser());
    const res = await t
      .agent()
      .get('/profile')
      .set('Authorization', `Bearer ${signWithAppKey(t.app, jwtClaims(accessToken))}`);
    expect(res.status).toBe(200);
    expect(res.body.username).toBe(user.username);
  });
});
