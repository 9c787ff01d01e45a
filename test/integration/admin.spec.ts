import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { PAGE_SIZE } from '../../src/admin/admin.service';
import { UsersService } from '../../src/users/users.service';
import { Agent, BrowserLogin, loginBrowser, makeAdmin, signUpBrowser, userId } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';
import { apiLogin, apiRefresh, signUp, submitForm, TestUser, uniqueUser } from '../support/users';
import { AuthErrors } from '../../src/auth/auth.errors';

interface ListedUser {
  id: string;
  username: string;
  email: string;
  roles: string[];
  disabled: boolean;
}

/** the admin page. Who may see it is in roles.spec.ts. */
describe('admin users page', () => {
  let t: TestApp;
  let admin: BrowserLogin;
  beforeAll(async () => {
    t = await startTestApp();
    const { user } = await signUpBrowser(t);
    admin = await makeAdmin(t, user);
  });
  afterAll(() => t.close());

  const list = (query = '', agent: Agent = admin.agent) => agent.get(`/admin/users${query}`).set('Accept', 'application/json');
  const act = (id: string, action: 'disable' | 'enable' | 'revoke-sessions', fields: Record<string, string> = {}) =>
    submitForm(admin.agent, `/admin/users/${id}/${action}`, fields, '/admin/users');
  const jsonLogin = (user: TestUser) => t.agent().post('/auth/login').send({ username: user.username, password: user.password });
  /** A user with a browser login and an API login. */
  const target = async () => {
    const browser = await signUpBrowser(t);
    const api = await apiLogin(t.agent(), browser.user);
    return { ...browser, id: await userId(t, browser.user.username), api };
  };
  const listed = async (username: string): Promise<ListedUser | undefined> =>
    ((await list(`?q=${encodeURIComponent(username)}`)).body.users as ListedUser[]).find((u) => u.username === username);

  describe('list and search', () => {
    it('GET /admin/users as JSON for an admin - 200 { users, total, page, pages } and no password hash anywhere', async () => {
      const { user } = await signUpBrowser(t);
      const res = await list(`?q=${user.username}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        users: [
          expect.objectContaining({
            id: await userId(t, user.username),
            username: user.username,
            email: user.email,
            roles: ['user'],
            disabled: false,
          }),
        ],
        total: 1,
        page: 1,
        pages: 1,
      });
      const all = await list();
      expect(JSON.stringify(all.body)).not.toMatch(/password|\$2[aby]\$/i);
    });

    it('GET /admin/users as HTML for an admin - 200, a row per user whose disable and end-sessions links lead to confirmation forms carrying _csrf and returnTo', async () => {
      const { user } = await signUpBrowser(t);
      const id = await userId(t, user.username);
      const res = await admin.agent.get(`/admin/users?q=${user.username}`).set('Accept', 'text/html');
      expect(res.status).toBe(200);
      const row = new RegExp(`<tr data-user="${user.username}">([\\s\\S]*?)</tr>`).exec(res.text)?.[1];
      expect(row).toContain(user.email);
      expect(row).toContain('Active');
      for (const action of ['disable', 'revoke-sessions']) {
        const confirmPath = `/admin/users/${id}/${action}?returnTo=%2Fadmin%2Fusers%3Fq%3D${user.username}`;
        expect(row).toContain(`href="${confirmPath.replace(/=/g, '&#x3D;')}"`);
        const confirm = await admin.agent.get(confirmPath).set('Accept', 'text/html');
        expect(confirm.status).toBe(200);
        const form = new RegExp(`<form method="post" action="/admin/users/${id}/${action}" novalidate>([\\s\\S]*?)</form>`).exec(
          confirm.text,
        )?.[1];
        expect(form).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
        expect(form).toContain(`<input type="hidden" name="returnTo" value="/admin/users?q&#x3D;${user.username}">`);
      }
      expect(row).not.toContain(`/admin/users/${id}/enable`);
    });

    it('search ?q= - finds users by part of the username or the email, ignoring case', async () => {
      const tag = randomBytes(4).toString('hex');
      const a = await signUp(t.agent(), { ...uniqueUser(`s${tag}`) });
      const b = await signUp(t.agent(), { ...uniqueUser('other'), email: `Mail_${tag}@example.com` });
      await signUp(t.agent());
      const res = await list(`?q=${tag.toUpperCase()}`);
      expect(res.status).toBe(200);
      expect((res.body.users as ListedUser[]).map((u) => u.username).sort()).toEqual([a.username, b.username].sort());
      expect(res.body.total).toBe(2);
    });

    it.each(['.*', '(', '[', '\\', '(a+)+$', '*', '?', '{1}', '$where'])(
      'search ?q=%s - 200, matched literally: no user listed',
      async (q) => {
        await signUp(t.agent());
        const res = await list(`?q=${encodeURIComponent(q)}`);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ users: [], total: 0, page: 1, pages: 1 });
      },
    );

    it('search ?q=x+y - matches the literal "+" only, not what the regex x+y would match', async () => {
      const tag = randomBytes(4).toString('hex');
      const plus = await signUp(t.agent(), { ...uniqueUser(), email: `${tag}a+b@example.com` });
      await signUp(t.agent(), { ...uniqueUser(), email: `${tag}aab@example.com` });
      const res = await list(`?q=${encodeURIComponent(`${tag}a+b`)}`);
      expect(res.status).toBe(200);
      expect((res.body.users as ListedUser[]).map((u) => u.username)).toEqual([plus.username]);
    });

    it('search ?q=.* as HTML - 200 page showing 0 matching users', async () => {
      const res = await admin.agent.get('/admin/users?q=.*').set('Accept', 'text/html');
      expect(res.status).toBe(200);
      expect(res.text).toContain('0 matching users');
      expect(res.text).not.toContain('<tr data-user=');
    });

    it(`paging ?page= - ${PAGE_SIZE} users per page in username order, the pages disjoint and complete`, async () => {
      const tag = `pg${randomBytes(4).toString('hex')}`;
      const users = t.app.get(UsersService);
      const names = Array.from({ length: PAGE_SIZE + 5 }, (_, i) => `${tag}_${String(i).padStart(2, '0')}`);
      await Promise.all(names.map((username) => users.create({ username, email: `${username}@example.com`, password: 'not-used-123' })));
      const one = await list(`?q=${tag}&page=1`);
      const two = await list(`?q=${tag}&page=2`);
      expect(one.status).toBe(200);
      expect(two.status).toBe(200);
      expect(one.body).toMatchObject({ total: PAGE_SIZE + 5, page: 1, pages: 2 });
      expect(two.body).toMatchObject({ total: PAGE_SIZE + 5, page: 2, pages: 2 });
      const seen = [...one.body.users, ...two.body.users].map((u: ListedUser) => u.username);
      expect(one.body.users).toHaveLength(PAGE_SIZE);
      expect(seen).toEqual(names);
      const beyond = await list(`?q=${tag}&page=3`);
      expect(beyond.status).toBe(200);
      expect(beyond.body.users).toEqual([]);
    });

    it('paging as HTML - "Page 1 of 2" with a next link that keeps the search', async () => {
      const tag = `ph${randomBytes(4).toString('hex')}`;
      const users = t.app.get(UsersService);
      await Promise.all(
        Array.from({ length: PAGE_SIZE + 1 }, (_, i) =>
          users.create({ username: `${tag}_${i}`, email: `${tag}_${i}@example.com`, password: 'not-used-123' }),
        ),
      );
      const res = await admin.agent.get(`/admin/users?q=${tag}`).set('Accept', 'text/html');
      expect(res.text).toContain('Page 1 of 2');
      expect(res.text).toContain(`<a href="/admin/users?q&#x3D;${tag}&amp;page&#x3D;2">`);
      expect(res.text).not.toContain('Previous');
      const second = await admin.agent.get(`/admin/users?q=${tag}&page=2`).set('Accept', 'text/html');
      expect(second.text).toContain('Page 2 of 2');
      expect(second.text).toContain(`<a href="/admin/users?q&#x3D;${tag}&amp;page&#x3D;1">`);
      expect([...second.text.matchAll(/<tr data-user=/g)]).toHaveLength(1);
    });

    it.each([
      ['page=0', '?page=0'],
      ['page=-1', '?page=-1'],
      ['page=abc', '?page=abc'],
      ['page=1.5', '?page=1.5'],
      ['a q over 100 characters', `?q=${'a'.repeat(101)}`],
    ])('GET /admin/users with %s - 4xx JSON { statusCode, message }, never 500', async (_, query) => {
      const res = await list(query);
      expect([400, 422]).toContain(res.status);
      expect(res.body).toMatchObject({ statusCode: res.status, message: expect.any(String) });
    });

    it('GET /admin/users?q[$ne]=x - 400, an operator object is never a search', async () => {
      const res = await list('?q[$ne]=x');
      expect([400, 422]).toContain(res.status);
    });
  });

  describe('actions', () => {
    it('disable - 303 back to /admin/users, the user is listed as disabled', async () => {
      const victim = await target();
      const res = await act(victim.id, 'disable');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/admin/users');
      expect(await listed(victim.user.username)).toMatchObject({ disabled: true });
    });

    it('disable - every login of the user ends: refresh 401 for browser and API, access refused on /account/sessions', async () => {
      const victim = await target();
      expect((await act(victim.id, 'disable')).status).toBe(303);
      expect((await apiRefresh(t.agent(), victim.refreshToken)).status).toBe(401);
      expect((await apiRefresh(t.agent(), victim.api.refresh_token)).status).toBe(401);
      const sensitive = await request(t.app.getHttpServer())
        .get('/account/sessions')
        .set('Authorization', `Bearer ${victim.api.access_token}`);
      expect(sensitive.status).toBe(401);
    });

    it('disable - the user cannot log in with the right password: the generic 401', async () => {
      const victim = await target();
      expect((await act(victim.id, 'disable')).status).toBe(303);
      const res = await jsonLogin(victim.user);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, message: AuthErrors.INVALID_CREDENTIALS.message });
    });

    it('disable then enable - 303 each, the user logs in again and is listed as active', async () => {
      const victim = await target();
      expect((await act(victim.id, 'disable')).status).toBe(303);
      const res = await act(victim.id, 'enable');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/admin/users');
      expect(await listed(victim.user.username)).toMatchObject({ disabled: false });
      expect((await jsonLogin(victim.user)).status).toBe(200);
      // The logins ended by the disable stay ended.
      expect((await apiRefresh(t.agent(), victim.api.refresh_token)).status).toBe(401);
    });

    it('revoke-sessions - 303 back, every login of the user ends, but the user can still log in', async () => {
      const victim = await target();
      const res = await act(victim.id, 'revoke-sessions');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/admin/users');
      expect((await apiRefresh(t.agent(), victim.refreshToken)).status).toBe(401);
      expect((await apiRefresh(t.agent(), victim.api.refresh_token)).status).toBe(401);
      expect((await jsonLogin(victim.user)).status).toBe(200);
      expect(await listed(victim.user.username)).toMatchObject({ disabled: false });
    });

    it("revoke-sessions - leaves other users' logins and the admin's own login alone", async () => {
      const victim = await target();
      const bystander = await signUpBrowser(t);
      expect((await act(victim.id, 'revoke-sessions')).status).toBe(303);
      expect((await apiRefresh(t.agent(), bystander.refreshToken)).status).toBe(200);
      expect((await list()).status).toBe(200);
    });

    it.each([
      ['the search and page it came from', '/admin/users?q=abc&page=2', '/admin/users?q=abc&page=2'],
      ['another site', '//evil.example/admin/users', '/admin/users'],
      ['another page of this site', '/profile', '/admin/users'],
    ])('an action with returnTo of %s (%s) - 303 to %s', async (_, returnTo, location) => {
      const victim = await target();
      const res = await act(victim.id, 'revoke-sessions', { returnTo });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(location);
    });

    it("disable of the admin's own account - 409, and the admin keeps working", async () => {
      const self = await userId(t, admin.user.username);
      const res = await act(self, 'disable');
      expect(res.status).toBe(409);
      expect((await list()).status).toBe(200);
      expect((await jsonLogin(admin.user)).status).toBe(200);
    });

    it.each(['disable', 'enable'] as const)('%s of a well-formed id of no user - 404', async (action) => {
      const res = await act('0123456789abcdef01234567', action);
      expect(res.status).toBe(404);
    });

    it.each(['disable', 'enable', 'revoke-sessions'] as const)('%s with a malformed user id - 404', async (action) => {
      const res = await act('not-an-id', action);
      expect(res.status).toBe(404);
    });

    it('an action without _csrf - 403 and the user is not disabled', async () => {
      const victim = await target();
      const res = await admin.agent.post(`/admin/users/${victim.id}/disable`).set('Accept', 'text/html').type('form').send({});
      expect(res.status).toBe(403);
      expect((await jsonLogin(victim.user)).status).toBe(200);
      expect((await apiRefresh(t.agent(), victim.refreshToken)).status).toBe(200);
    });

    it('an admin whose own login was ended - 401 on the admin page at once, though the access token has not expired', async () => {
      const { user } = await signUpBrowser(t);
      const second = await makeAdmin(t, user);
      const victim = await target();
      expect((await list('', second.agent)).status).toBe(200);
      // The admin logs out everywhere else from another browser.
      const third = await loginBrowser(t, user);
      expect((await submitForm(third.agent, '/account/sessions/revoke-others', {}, '/account/sessions')).status).toBe(303);
      expect((await list('', second.agent)).status).toBe(401);
      const res = await submitForm(second.agent, `/admin/users/${victim.id}/revoke-sessions`, {}, '/');
      expect(res.status).toBe(401);
      expect((await apiRefresh(t.agent(), victim.refreshToken)).status).toBe(200);
    });
  });
});
