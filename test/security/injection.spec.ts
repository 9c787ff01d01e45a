/**
 * Attack 3: NoSQL operator injection. Operator objects, arrays and other
 * non-strings where the app expects text get 400: never a login, never a 500.
 * Mongoose's sanitizeFilter is checked too, as the second layer.
 */
import { UsersService } from '../../src/users/users.service';
import { adminAccessToken, countAccounts, jsonSignUp, userModel } from '../support/security';
import { startTestApp, TestApp } from '../support/test-app';
import { csrfToken, signUp, TestUser, uniqueUser } from '../support/users';

describe('NoSQL operator injection', () => {
  let t: TestApp;
  /** A real account the injections try to get into. */
  let victim: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    victim = await signUp(t.agent(), uniqueUser('victim'));
  });
  afterAll(() => t.close());

  afterEach(() => jest.restoreAllMocks());

  /** A refusal as the contract words it: 400 JSON { statusCode, message }, no tokens. */
  function expectBadRequest(res: { status: number; body: any; text: string }) {
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, message: expect.any(String) });
    expect(res.text).not.toContain('access_token');
  }

  describe('JSON login', () => {
    const cases: Array<[string, () => Record<string, unknown>]> = [
      ['{"username":{"$ne":null},"password":{"$ne":null}}', () => ({ username: { $ne: null }, password: { $ne: null } })],
      ['the real username and {"password":{"$ne":null}}', () => ({ username: victim.username, password: { $ne: null } })],
      ['the real username and {"password":{"$gt":""}}', () => ({ username: victim.username, password: { $gt: '' } })],
      ['{"username":{"$regex":"^victim"}}', () => ({ username: { $regex: '^victim' }, password: 'anything-at-all' })],
      ['{"username":{"$where":"return true"}}', () => ({ username: { $where: 'return true' }, password: 'anything-at-all' })],
      ['{"username":{"$nor":[{"username":"x"}]}}', () => ({ username: { $nor: [{ username: 'x' }] }, password: 'anything-at-all' })],
      ['{"username":{"$in":[<real>]}}', () => ({ username: { $in: [victim.username] }, password: victim.password })],
      ['the username as an array', () => ({ username: [victim.username], password: victim.password })],
      ['the password as an array', () => ({ username: victim.username, password: [victim.password] })],
      ['the password as a number', () => ({ username: victim.username, password: 12345678 })],
      ['the password as true', () => ({ username: victim.username, password: true })],
      ['the username as null', () => ({ username: null, password: victim.password })],
    ];

    it.each(cases)('POST /auth/login with %s - 400, no login', async (_label, body) => {
      const authenticate = jest.spyOn(t.app.get(UsersService), 'authenticate');
      const res = await t.agent().post('/auth/login').send(body());
      expectBadRequest(res);
      // Stopped before any query was built from it.
      expect(authenticate).not.toHaveBeenCalled();
    });

    it.each(['$where', '$nor', '$or'])(
      'POST /auth/login with the right password and a top-level "%s" key - 400, no tokens',
      async (key) => {
        const res = await t
          .agent()
          .post('/auth/login')
          .send({ username: victim.username, password: victim.password, [key]: key === '$where' ? '1' : [{}] });
        expectBadRequest(res);
      },
    );
  });

  describe('form login', () => {
    it.each([
      ['username[$ne]=x&password[$ne]=x'],
      ['username[$regex]=.*&password[$ne]='],
      ['username[$where]=1&password=x'],
      ['username[]=VICTIM&password[]=PASSWORD'],
      ['username=VICTIM&username=VICTIM&password=PASSWORD'],
      ['username=VICTIM&password=PASSWORD&password=PASSWORD'],
    ])('POST /auth/login as a form with %s - 400, no login', async (template) => {
      const agent = t.agent();
      const _csrf = await csrfToken(agent);
      const body = template
        .replace(/VICTIM/g, encodeURIComponent(victim.username))
        .replace(/PASSWORD/g, encodeURIComponent(victim.password));
      const res = await agent
        .post('/auth/login')
        .set('Accept', 'application/json')
        .type('form')
        .send(`${body}&_csrf=${encodeURIComponent(_csrf)}`);
      expectBadRequest(res);
      expect(res.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringContaining('access')]));
    });
  });

  describe('sign-up', () => {
    it.each([
      ['the username as {"$ne":null}', (u: TestUser) => ({ ...u, username: { $ne: null } })],
      ['the username as {"$regex":".*"}', (u: TestUser) => ({ ...u, username: { $regex: '.*' } })],
      ['the email as {"$gt":""}', (u: TestUser) => ({ ...u, email: { $gt: '' } })],
      ['the email as {"$where":"1"}', (u: TestUser) => ({ ...u, email: { $where: '1' } })],
      ['the password as {"$ne":null}', (u: TestUser) => ({ ...u, password: { $ne: null } })],
      ['the username as an array', (u: TestUser) => ({ ...u, username: [u.username] })],
      ['the email as an array of two', (u: TestUser) => ({ ...u, email: [u.email, victim.email] })],
      ['a top-level "$nor"', (u: TestUser) => ({ ...u, $nor: [{ username: victim.username }] })],
    ])('POST /auth/signup (JSON) with %s - 400 and no account created', async (_label, build) => {
      const user = uniqueUser('inject');
      const res = await jsonSignUp(t.agent(), build(user));
      expectBadRequest(res);
      expect(await countAccounts(t, user.username)).toBe(0);
    });

    it.each([['username[$ne]=x'], ['username=NAME&username=NAME'], ['email[$regex]=.*']])(
      'POST /auth/signup as a form with %s - 400 and no account created',
      async (extra) => {
        const user = uniqueUser('inject');
        const agent = t.agent();
        const _csrf = await csrfToken(agent, '/auth/signup');
        const fields = new URLSearchParams({ email: user.email, password: user.password, _csrf });
        if (!extra.startsWith('username')) fields.set('username', user.username);
        if (extra.startsWith('email')) fields.delete('email');
        const body = `${fields.toString()}&${extra.replace(/NAME/g, encodeURIComponent(user.username))}`;
        const res = await agent.post('/auth/signup').set('Accept', 'application/json').type('form').send(body);
        expectBadRequest(res);
        expect(await countAccounts(t, user.username)).toBe(0);
      },
    );
  });

  describe('refresh and admin search', () => {
    it('POST /auth/refresh with {"refresh_token":{"$ne":null}} - refused (400 or 403), no tokens', async () => {
      const res = await t
        .agent()
        .post('/auth/refresh')
        .send({ refresh_token: { $ne: null } });
      expect([400, 403]).toContain(res.status);
      expect(res.text).not.toContain('access_token');
    });

    it('GET /admin/users?q[$ne]=x - 400, not a list of everyone', async () => {
      const res = await t
        .agent()
        .get('/admin/users?q[$ne]=x')
        .set('Authorization', `Bearer ${await adminAccessToken(t)}`);
      expect(res.status).toBe(400);
      expect(res.body.users).toBeUndefined();
    });

    it.each(['.*', '^', '(a+)+$', '[a-z]'])('GET /admin/users?q=%s - matched literally, 0 users (the pattern is escaped)', async (q) => {
      const token = await adminAccessToken(t);
      const all = await t.agent().get('/admin/users').set('Authorization', `Bearer ${token}`);
      expect(all.body.total).toBeGreaterThan(0);
      const res = await t
        .agent()
        .get(`/admin/users?q=${encodeURIComponent(q)}`)
        .set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 0, users: [] });
    });
  });

  describe('second layer: Mongoose sanitizeFilter', () => {
    it.each([
      ['{"$ne":null}', { $ne: null }],
      ['{"$regex":".*"}', { $regex: '.*' }],
      ['{"$gt":""}', { $gt: '' }],
    ])('a users query whose value is %s - is not obeyed as an operator (CastError, no user returned)', async (_label, operator) => {
      await expect(userModel(t).findOne({ usernameKey: operator }).exec()).rejects.toMatchObject({ name: 'CastError' });
    });

    it('a users query with a plain string value - still finds the user (control)', async () => {
      const found = await userModel(t).findOne({ usernameKey: victim.username.toLowerCase() }).exec();
      expect(found?.username).toBe(victim.username);
    });
  });
});
