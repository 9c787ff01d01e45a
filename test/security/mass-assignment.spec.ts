/**
 * Attack 10: mass assignment. Fields that only the server may set (roles,
 * disabled, _id, the hash, the canonical keys) sent in a sign-up, login,
 * refresh or password-change body are rejected with 400, and nothing changes.
 */
import { jwtClaims } from '../support/jwt';
import { countAccounts, jsonSignUp, userModel } from '../support/security';
import { startTestApp, TestApp } from '../support/test-app';
import { apiLogin, apiRefresh, csrfToken, signUp, uniqueUser } from '../support/users';

const FOREIGN_ID = '0123456789abcdef01234567';
const SOME_HASH = '$2b$04$abcdefghijklmnopqrstuuJ8vW4bq3X1mY5m1mB3a5oC7b9nQxW2a';

const SERVER_FIELDS: Array<[string, unknown]> = [
  ['roles', ['admin']],
  ['roles', 'admin'],
  ['disabled', false],
  ['_id', FOREIGN_ID],
  ['id', FOREIGN_ID],
  ['passwordHash', SOME_HASH],
  ['usernameKey', 'admin'],
  ['emailKey', 'admin@example.com'],
  ['createdAt', '2000-01-01T00:00:00.000Z'],
];

describe('mass assignment', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  describe('sign-up', () => {
    it.each(SERVER_FIELDS)('JSON sign-up with "%s": %j - 400 naming the field, and no account created', async (field, value) => {
      const user = uniqueUser('mass');
      const res = await jsonSignUp(t.agent(), { ...user, [field]: value });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, errors: { [field]: expect.stringContaining('should not exist') } });
      expect(await countAccounts(t, user.username)).toBe(0);
    });

    it.each([
      ['roles=admin'],
      ['roles%5B%5D=admin'],
      ['disabled=false'],
      [`_id=${FOREIGN_ID}`],
      [`passwordHash=${encodeURIComponent(SOME_HASH)}`],
    ])('form sign-up with %s - 400 and no account created', async (extra) => {
      const user = uniqueUser('mass');
      const agent = t.agent();
      const _csrf = await csrfToken(agent, '/auth/signup');
      const res = await agent
        .post('/auth/signup')
        .set('Accept', 'text/html')
        .type('form')
        .send(`${new URLSearchParams({ ...user, _csrf }).toString()}&${extra}`);
      expect(res.status).toBe(400);
      expect(res.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringContaining('access')]));
      expect(await countAccounts(t, user.username)).toBe(0);
    });

    it.each([
      ['__proto__', '{"__proto__":{"roles":["admin"],"disabled":true}}'],
      ['constructor.prototype', '{"constructor":{"prototype":{"roles":["admin"]}}}'],
    ])('JSON sign-up with a "%s" payload - 400 naming the key, no account, no prototype polluted', async (_label, extra) => {
      const user = uniqueUser('proto');
      const agent = t.agent();
      const token = await csrfToken(agent, '/auth/signup');
      const body = `${JSON.stringify(user).slice(0, -1)},${extra.slice(1)}`;
      const res = await agent
        .post('/auth/signup')
        .set('Accept', 'application/json')
        .set('X-CSRF-Token', token)
        .set('Content-Type', 'application/json')
        .send(body);
      // Refused before validation: a body with such a key never reaches the sign-up (docs/security.md).
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/__proto__|constructor/);
      expect(await userModel(t).findOne({ username: user.username }).lean().exec()).toBeNull();
      expect(({} as Record<string, unknown>).roles).toBeUndefined();
      expect(({} as Record<string, unknown>).disabled).toBeUndefined();
    });
  });

  describe('other bodies', () => {
    it('JSON login with the right password and roles ["admin"] - 400, no tokens', async () => {
      const user = await signUp(t.agent(), uniqueUser('mass'));
      const res = await t
        .agent()
        .post('/auth/login')
        .send({ username: user.username, password: user.password, roles: ['admin'] });
      expect(res.status).toBe(400);
      expect(res.body.access_token).toBeUndefined();
    });

    it('API refresh with roles ["admin"] beside the token - 400, the token is not used up, and the next refresh still says roles ["user"]', async () => {
      const user = await signUp(t.agent(), uniqueUser('mass'));
      const { refresh_token } = await apiLogin(t.agent(), user);
      const res = await t
        .agent()
        .post('/auth/refresh')
        .send({ refresh_token, roles: ['admin'] });
      expect(res.status).toBe(400);
      const next = await apiRefresh(t.agent(), refresh_token);
      expect(next.status).toBe(200);
      expect(jwtClaims(next.body.access_token).roles).toEqual(['user']);
    });

    it.each([
      ['roles', ['admin']],
      ['disabled', true],
      ['passwordHash', SOME_HASH],
    ])('password change with "%s" in the body - 400, and neither the password nor the account changes', async (field, value) => {
      const browser = t.agent();
      const user = await signUp(browser, uniqueUser('mass'));
      const token = await csrfToken(browser, '/account/password');
      const res = await browser
        .post('/account/password')
        .set('Accept', 'application/json')
        .set('X-CSRF-Token', token)
        .send({ currentPassword: user.password, newPassword: `New-${user.password}`, [field]: value });
      expect(res.status).toBe(400);
      const stored = await userModel(t).findOne({ username: user.username }).lean().exec();
      expect(stored).toMatchObject({ roles: ['user'], disabled: false });
      await apiLogin(t.agent(), user);
    });
  });
});
