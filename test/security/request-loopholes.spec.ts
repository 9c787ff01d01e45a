/**
 * Loose exemptions and lenient readers: an Authorization header that
 * exempts a request from CSRF checks while its cookie authenticates it, a
 * CSRF token read from the query string, an admin id in upper case, and
 * login bodies that were refused only after the password work, or whose
 * prototype keys were dropped without a word.
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from '../../src/config/env.validation';
import { UsersService } from '../../src/users/users.service';
import { signUpAdmin } from '../support/security';
import { productionEnv, startTestApp, TestApp } from '../support/test-app';
import { apiLogin, apiRefresh, csrfToken, signUp, uniqueUser } from '../support/users';

// The real module object, so spies are seen by the app's own import of it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bcrypt = require('bcrypt') as typeof import('bcrypt');

const HOST = 'latchkey.test';
const EVIL = 'https://evil.example';

describe('request loopholes', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  /** A logged-in browser, plus a second login of the same user whose refresh token shows whether "log out others" ran. */
  async function twoLogins() {
    const browser = t.agent();
    const user = await signUp(browser, uniqueUser('loophole'));
    const other = await apiLogin(t.agent(), user);
    return { browser, user, otherRefresh: other.refresh_token };
  }

  describe('an Authorization header with no usable token', () => {
    it.each([
      ['Bearer followed by a no-break space', 'Bearer\u00a0'],
      ['Bearer followed by a space only', 'Bearer '],
      ['Basic credentials', 'Basic dXNlcjpwYXNz'],
    ])("%s, the victim's cookies and a foreign Origin on revoke-others - 401, and the other login survives", async (_label, header) => {
      const { browser, otherRefresh } = await twoLogins();
      const res = await browser
        .post('/account/sessions/revoke-others')
        .set('Host', HOST)
        .set('Accept', 'application/json')
        .set('Origin', EVIL)
        .set('Authorization', header)
        .type('form')
        .send({});
      expect(res.status).toBe(401);
      expect((await apiRefresh(t.agent(), otherRefresh)).status).toBe(200);
    });

    it('a junk Authorization header on the browser refresh - the refresh cookie is not used', async () => {
      const { browser } = await twoLogins();
      const res = await browser
        .post('/auth/refresh')
        .set('Accept', 'application/json')
        .set('Origin', EVIL)
        .set('Authorization', 'Bearer\u00a0')
        .send({});
      expect(res.status).toBe(401);
      expect(res.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/refresh=[^;]+;/)]));
    });

    it('a valid Bearer token and no cookies - still works without a CSRF token (control)', async () => {
      const user = await signUp(t.agent(), uniqueUser('bearer'));
      const { access_token } = await apiLogin(t.agent(), user);
      const res = await t.agent().get('/account/sessions').set('Accept', 'application/json').set('Authorization', `Bearer ${access_token}`);
      expect(res.status).toBe(200);
    });
  });

  describe('where the CSRF token may come from', () => {
    it('a valid token in the query string only - 403, and the other login survives', async () => {
      const { browser, otherRefresh } = await twoLogins();
      const token = await csrfToken(browser, '/account/sessions');
      const res = await browser
        .post(`/account/sessions/revoke-others?_csrf=${encodeURIComponent(token)}`)
        .set('Accept', 'application/json')
        .type('form')
        .send({});
      expect(res.status).toBe(403);
      expect((await apiRefresh(t.agent(), otherRefresh)).status).toBe(200);
    });

    it.each([['CSRF-Token'], ['XSRF-Token'], ['X-XSRF-Token']])('a valid token in a %s header - 403', async (header) => {
      const { browser, otherRefresh } = await twoLogins();
      const token = await csrfToken(browser, '/account/sessions');
      const res = await browser.post('/account/sessions/revoke-others').set('Accept', 'application/json').set(header, token).send({});
      expect(res.status).toBe(403);
      expect((await apiRefresh(t.agent(), otherRefresh)).status).toBe(200);
    });

    it.each([
      ['the form field _csrf', (token: string) => ({ body: { _csrf: token }, headers: {} })],
      ['the X-CSRF-Token header', (token: string) => ({ body: {}, headers: { 'X-CSRF-Token': token } })],
    ])('a valid token in %s - 303 (control)', async (_label, place) => {
      const { browser, otherRefresh } = await twoLogins();
      const { body, headers } = place(await csrfToken(browser, '/account/sessions'));
      const res = await browser.post('/account/sessions/revoke-others').set('Accept', 'text/html').set(headers).type('form').send(body);
      expect(res.status).toBe(303);
      expect((await apiRefresh(t.agent(), otherRefresh)).status).toBe(401);
    });
  });

  describe('an admin naming their own id in upper case', () => {
    it('POST /admin/users/<OWN ID IN CAPITALS>/disable - 409 and the admin is still enabled', async () => {
      const browser = t.agent();
      const admin = await signUpAdmin(t, browser);
      const id = (await t.app.get(UsersService).findByUsername(admin.username))!.id;
      const _csrf = await csrfToken(browser, '/admin/users');
      const res = await browser
        .post(`/admin/users/${id.toUpperCase()}/disable`)
        .set('Accept', 'application/json')
        .type('form')
        .send({ _csrf });
      expect(res.status).toBe(409);
      expect((await t.app.get(UsersService).findById(id))!.disabled).toBe(false);
    });

    it('POST /admin/users/<OTHER ID IN CAPITALS>/disable - 303 and that user is disabled (the same user as in lower case)', async () => {
      const browser = t.agent();
      await signUpAdmin(t, browser);
      const other = await signUp(t.agent(), uniqueUser('upper'));
      const id = (await t.app.get(UsersService).findByUsername(other.username))!.id;
      const _csrf = await csrfToken(browser, '/admin/users');
      const res = await browser.post(`/admin/users/${id.toUpperCase()}/disable`).set('Accept', 'text/html').type('form').send({ _csrf });
      expect(res.status).toBe(303);
      expect((await t.app.get(UsersService).findById(id))!.disabled).toBe(true);
    });
  });

  describe('login bodies', () => {
    it.each([
      ['an unknown field', { roles: ['admin'] }],
      ['an unknown field holding an object', { extra: { a: 1 } }],
      ['a remember value no checkbox sends', { remember: 'forever' }],
    ])('JSON login with the right password and %s - refused before any bcrypt work', async (_label, extra) => {
      const user = await signUp(t.agent(), uniqueUser('shape'));
      const compare = jest.spyOn(bcrypt, 'compare');
      const res = await t
        .agent()
        .post('/auth/login')
        .send({ username: user.username, password: user.password, ...extra });
      expect([400, 422]).toContain(res.status);
      expect(res.body).toMatchObject({ statusCode: res.status, message: expect.any(String) });
      expect(res.body.access_token).toBeUndefined();
      expect(compare).not.toHaveBeenCalled();
    });

    it('credentials in the query string of a JSON login - 400, never read from the URL', async () => {
      const user = await signUp(t.agent(), uniqueUser('query'));
      const compare = jest.spyOn(bcrypt, 'compare');
      const res = await t
        .agent()
        .post(`/auth/login?username=${user.username}&password=${encodeURIComponent(user.password)}`)
        .send({});
      expect(res.status).toBe(400);
      expect(compare).not.toHaveBeenCalled();
    });

    it.each([
      ['__proto__', '"__proto__":{"roles":["admin"]}'],
      ['constructor', '"constructor":{"prototype":{"roles":["admin"]}}'],
      ['nested __proto__', '"next":"/profile","x":{"__proto__":{"admin":true}}'],
    ])('JSON login with the right password and a %s key - 400 naming it, no tokens', async (_label, extra) => {
      const user = await signUp(t.agent(), uniqueUser('proto'));
      const body = `{"username":${JSON.stringify(user.username)},"password":${JSON.stringify(user.password)},${extra}}`;
      const res = await t.agent().post('/auth/login').set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, message: expect.stringMatching(/__proto__|constructor/) });
    });
  });
});

describe('TRUST_PROXY in production', () => {
  it.each([['true'], ['TRUE']])('TRUST_PROXY=%s - start-up refused with one line asking for a hop count or addresses', (value) => {
    const env = { ...productionEnv(), MONGODB_URI: 'mongodb://127.0.0.1:9/x', TRUST_PROXY: value };
    expect(() => loadConfig(env)).toThrow(/^TRUST_PROXY=true .*hop.*address/);
  });

  it.each([['1'], ['loopback'], ['10.0.0.0/8, 127.0.0.1']])('TRUST_PROXY=%s - accepted', (value) => {
    const env = { ...productionEnv(), MONGODB_URI: 'mongodb://127.0.0.1:9/x', TRUST_PROXY: value };
    expect(loadConfig(env).trustProxy).toBe(/^\d+$/.test(value) ? Number(value) : value);
  });

  it.each([
    ['0.0.0.0/1,128.0.0.0/1', /^TRUST_PROXY entry 0\.0\.0\.0\/1 covers addresses clients come from/],
    ['203.0.0.0/8', /^TRUST_PROXY entry 203\.0\.0\.0\/8 covers addresses clients come from/],
    ['2001:db8::/32', /^TRUST_PROXY entry 2001:db8::\/32 covers addresses clients come from/],
    ['6', /^TRUST_PROXY=6 trusts more proxy hops than any real chain has/],
    ['99', /^TRUST_PROXY=99 trusts more proxy hops than any real chain has/],
  ])('TRUST_PROXY=%s - as spoofable as true, so start-up is refused with one line', (value, message) => {
    const env = { ...productionEnv(), MONGODB_URI: 'mongodb://127.0.0.1:9/x', TRUST_PROXY: value };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it.each([['5'], ['203.0.113.0/24'], ['2001:db8:1::/48'], ['10.0.0.0/255.0.0.0'], ['uniquelocal, 172.16.0.0/12']])(
    'TRUST_PROXY=%s - a real proxy chain or range, accepted',
    (value) => {
      const env = { ...productionEnv(), MONGODB_URI: 'mongodb://127.0.0.1:9/x', TRUST_PROXY: value };
      expect(loadConfig(env).trustProxy).toBe(/^\d+$/.test(value) ? Number(value) : value);
    },
  );

  it.each([['0.0.0.0/0'], ['::/0'], ['not-an-address']])(
    'TRUST_PROXY=%s - a value Express cannot use: one ConfigError line in every environment, not a stack trace at start-up',
    (value) => {
      expect(() => loadConfig({ NODE_ENV: 'test', TRUST_PROXY: value })).toThrow(ConfigError);
      expect(() => loadConfig({ NODE_ENV: 'test', TRUST_PROXY: value })).toThrow(
        /^TRUST_PROXY is not a hop count or a list of addresses: /,
      );
    },
  );

  it('TRUST_PROXY=true outside production - accepted (tests stand in for many clients with it)', () => {
    expect(loadConfig({ NODE_ENV: 'test', TRUST_PROXY: 'true' }).trustProxy).toBe(true);
  });
});
