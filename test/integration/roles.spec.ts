import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import request from 'supertest';
import { UsersService } from '../../src/users/users.service';
import { jwtClaims } from '../support/jwt';
import { Agent, loginBrowser, makeAdmin, signUpBrowser, userId } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';
import { apiLogin, apiRefresh, browserRefresh, cookieValue, signUp, submitForm } from '../support/users';

const run = promisify(execFile);

/** roles in the access token, 403 for users, and the promote command. */
describe('roles', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const adminJson = (agent: Agent) => agent.get('/admin/users').set('Accept', 'application/json');

  describe('a normal user', () => {
    it('GET /admin/users as HTML - 403 error page, not the user list', async () => {
      const { agent } = await signUpBrowser(t);
      const res = await agent.get('/admin/users').set('Accept', 'text/html');
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('Forbidden');
      expect(res.text).not.toContain('<tr data-user=');
    });

    it('GET /admin/users as JSON - 403 JSON { statusCode, message }', async () => {
      const { agent } = await signUpBrowser(t);
      const res = await adminJson(agent);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ statusCode: 403, message: expect.any(String) });
    });

    it('GET /admin/users with a Bearer token - 403', async () => {
      const user = await signUp(t.agent());
      const { access_token } = await apiLogin(t.agent(), user);
      const res = await request(t.app.getHttpServer()).get('/admin/users').set('Authorization', `Bearer ${access_token}`);
      expect(res.status).toBe(403);
    });

    it.each(['disable', 'enable', 'revoke-sessions'])(
      'POST /admin/users/:id/%s with a valid _csrf - 403 and the target is untouched',
      async (action) => {
        const { agent } = await signUpBrowser(t);
        const victim = await signUpBrowser(t);
        const res = await submitForm(agent, `/admin/users/${await userId(t, victim.user.username)}/${action}`, {}, '/profile');
        expect(res.status).toBe(403);
        expect((await apiRefresh(t.agent(), victim.refreshToken)).status).toBe(200);
        expect((await t.agent().post('/auth/login').send({ username: victim.user.username, password: victim.user.password })).status).toBe(
          200,
        );
      },
    );

    it('the navigation - no Admin link for a user, one for an admin', async () => {
      const { agent, user } = await signUpBrowser(t);
      const plain = await agent.get('/profile').set('Accept', 'text/html');
      expect(plain.text).not.toContain('href="/admin/users"');
      const admin = await makeAdmin(t, user);
      const page = await admin.agent.get('/profile').set('Accept', 'text/html');
      expect(page.text).toContain('<a href="/admin/users">Admin</a>');
    });
  });

  describe('not logged in', () => {
    it('GET /admin/users as HTML - 303 to /auth/login?next=%2Fadmin%2Fusers', async () => {
      const res = await t.agent().get('/admin/users').set('Accept', 'text/html');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/auth/login?next=%2Fadmin%2Fusers');
    });

    it('GET /admin/users as JSON - 401', async () => {
      const res = await t.agent().get('/admin/users').set('Accept', 'application/json');
      expect(res.status).toBe(401);
    });
  });

  describe('granting a role', () => {
    it('sign-up - the access token and profile carry roles ["user"]', async () => {
      const { agent, accessToken } = await signUpBrowser(t);
      expect(jwtClaims(accessToken).roles).toEqual(['user']);
      expect((await agent.get('/profile').set('Accept', 'application/json')).body.roles).toEqual(['user']);
    });

    it('admin role granted - the current access token still gets 403, and after the next browser refresh 200', async () => {
      const { agent, user } = await signUpBrowser(t);
      await t.app.get(UsersService).grantRole(await userId(t, user.username), 'admin');
      expect((await adminJson(agent)).status).toBe(403);
      const refreshed = await browserRefresh(agent);
      expect(refreshed.status).toBe(200);
      expect(jwtClaims(cookieValue(refreshed, 'access')!).roles).toEqual(['user', 'admin']);
      expect((await adminJson(agent)).status).toBe(200);
      expect((await agent.get('/profile').set('Accept', 'application/json')).body.roles).toEqual(['user', 'admin']);
    });

    it('admin role granted - an API refresh gives an access token that opens /admin/users', async () => {
      const user = await signUp(t.agent());
      const { access_token, refresh_token } = await apiLogin(t.agent(), user);
      await t.app.get(UsersService).grantRole(await userId(t, user.username), 'admin');
      const bearer = (token: string) => request(t.app.getHttpServer()).get('/admin/users').set('Authorization', `Bearer ${token}`);
      expect((await bearer(access_token)).status).toBe(403);
      const refreshed = await apiRefresh(t.agent(), refresh_token);
      expect((await bearer(refreshed.body.access_token)).status).toBe(200);
    });

    it('admin role granted - a new login opens /admin/users at once', async () => {
      const { user } = await signUpBrowser(t);
      await t.app.get(UsersService).grantRole(await userId(t, user.username), 'admin');
      const again = await loginBrowser(t, user);
      expect((await adminJson(again.agent)).status).toBe(200);
    });

    it('admin role granted twice - listed once', async () => {
      const user = await signUp(t.agent());
      const id = await userId(t, user.username);
      await t.app.get(UsersService).grantRole(id, 'admin');
      await t.app.get(UsersService).grantRole(id, 'admin');
      expect((await t.app.get(UsersService).findById(id))!.roles).toEqual(['user', 'admin']);
    });
  });

  describe('npm run user:promote', () => {
    // The command itself, as an operator runs it, against this app's database.
    const promote = (...args: string[]) =>
      run('npx', ['ts-node', '--transpile-only', 'src/cli/promote-user.ts', ...args], {
        cwd: process.cwd(),
        env: { ...process.env, MONGODB_URI: t.config.mongodbUri, NODE_ENV: 'test' },
        timeout: 90_000,
      }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
      );

    it('promote an existing user - exit 0, says so, and the user is an admin from the next refresh', async () => {
      const { agent, user } = await signUpBrowser(t);
      const result = await promote(user.username);
      expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining(`${user.username} is now an admin`) });
      expect((await t.app.get(UsersService).findByUsername(user.username))!.roles).toEqual(['user', 'admin']);
      expect((await adminJson(agent)).status).toBe(403);
      expect((await browserRefresh(agent)).status).toBe(200);
      expect((await adminJson(agent)).status).toBe(200);
    }, 120_000);

    it('promote an unknown username - non-zero exit and a clear message naming it, nobody promoted', async () => {
      const result = await promote('nobody_by_this_name');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('No user named "nobody_by_this_name".');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }, 120_000);

    it('promote without a username - exit 2 with the usage line', async () => {
      const result = await promote();
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('Usage: npm run user:promote -- <username>');
    }, 120_000);
  });
});
