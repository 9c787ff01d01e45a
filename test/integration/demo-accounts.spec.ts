import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoAccounts } from '../../src/users/demo-accounts';
import { UsersService } from '../../src/users/users.service';
import { startTestApp, TestApp } from '../support/test-app';
import { signUp } from '../support/users';

/**
 * the demo accounts seeded for the embedded development
 * database. "demo" and "admin" are fixed names, so every test has an app
 * (and database) of its own.
 */
describe('demo accounts', () => {
  let t: TestApp;
  let dir: string;
  let file: string;
  beforeEach(async () => {
    t = await startTestApp();
    dir = mkdtempSync(join(tmpdir(), 'latchkey-demo-'));
    file = join(dir, 'nested', 'demo-accounts.json');
  });
  afterEach(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ensure = () => t.app.get(DemoAccounts).ensure(file);
  const users = () => t.app.get(UsersService);
  const login = (username: string, password: string) => t.agent().post('/auth/login').send({ username, password });
  const named = async (name: string) => (await users().search(name, 1, 100)).users.filter((u) => u.username === name);

  it('ensure on an empty database - creates "demo" (user) and "admin" (admin), verified, and writes them to the file with mode 600', async () => {
    const accounts = await ensure();
    expect(accounts).toEqual([
      { username: 'demo', password: expect.stringMatching(/^[\w-]{12,}$/), role: 'user', passwordWorks: true },
      { username: 'admin', password: expect.stringMatching(/^[\w-]{12,}$/), role: 'admin', passwordWorks: true },
    ]);
    expect(accounts[0].password).not.toBe(accounts[1].password);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(accounts.map(({ passwordWorks: _, ...saved }) => saved));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await users().findByUsername('demo'))!.roles).toEqual(['user']);
    expect((await users().findByUsername('admin'))!.roles).toEqual(['user', 'admin']);
    // Verified, so a newcomer can try TOTP and passkeys on them.
    expect((await users().findByUsername('demo'))!.emailVerified).toBe(true);
    expect((await users().findByUsername('admin'))!.emailVerified).toBe(true);
  });

  it('ensure - both printed passwords log in, and the admin one opens /admin/users', async () => {
    const [demo, admin] = await ensure();
    expect((await login(demo.username, demo.password)).status).toBe(200);
    const res = await login(admin.username, admin.password);
    expect(res.status).toBe(200);
    const page = await t.agent().get('/admin/users').set('Authorization', `Bearer ${res.body.access_token}`);
    expect(page.status).toBe(200);
  });

  it('ensure a second time - changes nothing: same passwords and file, the same single "demo" and "admin" accounts', async () => {
    const first = await ensure();
    const before = [(await named('demo'))[0], (await named('admin'))[0]];
    const second = await ensure();
    expect(second).toEqual(first);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(first.map(({ passwordWorks: _, ...saved }) => saved));
    expect([await named('demo'), await named('admin')]).toEqual([[before[0]], [before[1]]]);
    for (const { username, password } of first) expect((await login(username, password)).status).toBe(200);
  });

  it("ensure again after the demo user changed its password - the user's password is kept, never reset, and reported as changed", async () => {
    const [demo] = await ensure();
    const id = (await users().findByUsername('demo'))!.id;
    expect(await users().changePassword(id, demo.password, 'changed-by-the-user-1')).toMatchObject({ username: 'demo' });
    const [after] = await ensure();
    expect(after).toMatchObject({ username: 'demo', passwordWorks: false });
    expect((await login('demo', 'changed-by-the-user-1')).status).toBe(200);
    expect((await login('demo', demo.password)).status).toBe(401);
  });

  it('ensure when someone already signed up as "admin" - that account is left as it is: not promoted, password unchanged', async () => {
    const squatter = await signUp(t.agent(), { username: 'admin', email: 'someone@example.com', password: 'their-own-pass-42' });
    const accounts = await ensure();
    expect(accounts.map((a) => a.username)).toEqual(['demo']);
    expect((await users().findByUsername('admin'))!.roles).toEqual(['user']);
    expect((await login('admin', squatter.password)).status).toBe(200);
    expect(await named('admin')).toHaveLength(1);
  });
});
