/**
 * Attack 13: oversized and malformed bodies. 413 or 400 before any work is
 * spent (no password check, no bcrypt), no stack trace, and the process
 * keeps serving afterwards.
 */
import { deflateSync } from 'node:zlib';
import { UsersService } from '../../src/users/users.service';
import { countAccounts } from '../support/security';
import { startTestApp, TestApp } from '../support/test-app';
import { csrfToken, signUp, TestUser, uniqueUser } from '../support/users';

// The real module object, so spies are seen by the app's own import of it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bcrypt = require('bcrypt') as typeof import('bcrypt');

const ONE_MB = 1024 * 1024;

function nestedObject(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

describe('oversized and malformed bodies', () => {
  let t: TestApp;
  let user: TestUser;
  let work: { authenticate: jest.SpyInstance; create: jest.SpyInstance; compare: jest.SpyInstance; hash: jest.SpyInstance };

  beforeAll(async () => {
    t = await startTestApp();
    user = await signUp(t.agent(), uniqueUser('big'));
  });
  afterAll(() => t.close());

  beforeEach(() => {
    const users = t.app.get(UsersService);
    work = {
      authenticate: jest.spyOn(users, 'authenticate'),
      create: jest.spyOn(users, 'create'),
      compare: jest.spyOn(bcrypt, 'compare'),
      hash: jest.spyOn(bcrypt, 'hash'),
    };
  });

  afterEach(async () => {
    // Nothing reached a password check or bcrypt …
    expect(work.authenticate).not.toHaveBeenCalled();
    expect(work.create).not.toHaveBeenCalled();
    expect(work.compare).not.toHaveBeenCalled();
    expect(work.hash).not.toHaveBeenCalled();
    jest.restoreAllMocks();
    // … and the process still serves a real login.
    const ok = await t.agent().post('/auth/login').send({ username: user.username, password: user.password });
    expect(ok.status).toBe(200);
  });

  function expectRefused(res: { status: number; body: any; text: string }, status: number) {
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ statusCode: status, message: expect.any(String) });
    expect(res.text).not.toMatch(/node_modules|\n\s+at /);
  }

  describe('413 too large', () => {
    it('JSON login with a 1 MB password - 413 JSON', async () => {
      const res = await t
        .agent()
        .post('/auth/login')
        .send({ username: user.username, password: 'x'.repeat(ONE_MB) });
      expectRefused(res, 413);
    });

    it('JSON login with a 1 MB body of padding - 413', async () => {
      const res = await t
        .agent()
        .post('/auth/login')
        .set('Content-Type', 'application/json')
        .send(`{"username":"${user.username}","password":"x"${' '.repeat(ONE_MB)}}`);
      expectRefused(res, 413);
    });

    it('form login with a 1 MB password - 413', async () => {
      const agent = t.agent();
      const _csrf = await csrfToken(agent);
      const res = await agent
        .post('/auth/login')
        .set('Accept', 'application/json')
        .type('form')
        .send({ username: user.username, password: 'x'.repeat(ONE_MB), _csrf });
      expectRefused(res, 413);
    });

    it('form login with a 1 MB password, as a browser - 413 error page without a stack trace', async () => {
      const agent = t.agent();
      const _csrf = await csrfToken(agent);
      const res = await agent
        .post('/auth/login')
        .set('Accept', 'text/html')
        .type('form')
        .send({ username: user.username, password: 'x'.repeat(ONE_MB), _csrf });
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('Error 413');
      expect(res.text).not.toMatch(/node_modules|PayloadTooLargeError|\n\s+at /);
    });

    it('JSON sign-up with a 1 MB password - 413 and no account', async () => {
      const agent = t.agent();
      const token = await csrfToken(agent, '/auth/signup');
      const newcomer = { ...uniqueUser('big'), password: 'x'.repeat(ONE_MB) };
      const res = await agent.post('/auth/signup').set('X-CSRF-Token', token).send(newcomer);
      expectRefused(res, 413);
      expect(await countAccounts(t, newcomer.username)).toBe(0);
    });

    it('JSON login just over the 16 KB limit (17 KB) - 413', async () => {
      const res = await t
        .agent()
        .post('/auth/login')
        .send({ username: user.username, password: 'x'.repeat(17 * 1024) });
      expectRefused(res, 413);
    });

    it('form login with 60 fields (over the 50-parameter limit) - 413', async () => {
      const agent = t.agent();
      const _csrf = await csrfToken(agent);
      const padding = Array.from({ length: 57 }, (_, i) => `f${i}=1`).join('&');
      const res = await agent
        .post('/auth/login')
        .set('Accept', 'application/json')
        .type('form')
        .send(`username=${user.username}&password=x&_csrf=${encodeURIComponent(_csrf)}&${padding}`);
      expectRefused(res, 413);
    });
  });

  describe('400 malformed', () => {
    it('JSON login with the username nested 50 objects deep - 400', async () => {
      const res = await t
        .agent()
        .post('/auth/login')
        .send({ username: nestedObject(50), password: user.password });
      expectRefused(res, 400);
      expect(res.body.message).toMatch(/nested/);
    });

    it('JSON login whose body is an array nested 5000 deep - 400', async () => {
      const res = await t
        .agent()
        .post('/auth/login')
        .set('Content-Type', 'application/json')
        .send(`${'['.repeat(5000)}${']'.repeat(5000)}`);
      expectRefused(res, 400);
      expect(res.body.message).toMatch(/nested/);
    });

    it('JSON sign-up with a field nested 20 objects deep - 400 and no account', async () => {
      const agent = t.agent();
      const token = await csrfToken(agent, '/auth/signup');
      const newcomer = uniqueUser('deep');
      const res = await agent
        .post('/auth/signup')
        .set('X-CSRF-Token', token)
        .send({ ...newcomer, email: nestedObject(20) });
      expectRefused(res, 400);
      expect(res.body.message).toMatch(/nested/);
      expect(await countAccounts(t, newcomer.username)).toBe(0);
    });

    it.each([
      ['cut off', '{"username": '],
      ['single-quoted', "{'username':'a','password':'b'}"],
      ['with a trailing comma', '{"username":"a","password":"b",}'],
      ['a bare word', 'nul'],
      ['two documents', '{"username":"a"}{"password":"b"}'],
      ['not JSON at all', 'username=a&password=b'],
    ])('JSON login with a body that is %s - 400', async (_label, body) => {
      const res = await t.agent().post('/auth/login').set('Content-Type', 'application/json').send(body);
      expectRefused(res, 400);
    });

    it('JSON login whose password was sent unquoted - 400 with a message that does not echo the password', async () => {
      const res = await t
        .agent()
        .post('/auth/login')
        .set('Content-Type', 'application/json')
        .send(`{"username":"${user.username}","password":Hunt3r}`);
      expectRefused(res, 400);
      expect(res.text).not.toContain('Hunt3r');
    });

    it('malformed JSON as a browser - 400 error page without a stack trace', async () => {
      const res = await t
        .agent()
        .post('/auth/login')
        .set('Accept', 'text/html')
        .set('Content-Type', 'application/json')
        .send('{"username": ');
      expect(res.status).toBe(400);
      expect(res.text).toContain('Error 400');
      expect(res.text).not.toMatch(/node_modules|SyntaxError|\n\s+at /);
    });

    it.each([
      ['gzip but plain text', 'gzip', Buffer.from('username=a&password=b')],
      ['deflate but plain text', 'deflate', Buffer.from('username=a&password=b')],
      ['deflate but cut off', 'deflate', deflateSync(Buffer.from('username=a&password=b')).subarray(0, 8)],
    ])('urlencoded login declared as %s - 400', async (_label, encoding, body) => {
      const res = await t
        .agent()
        .post('/auth/login')
        .set('Accept', 'application/json')
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .set('Content-Encoding', encoding)
        .send(body);
      expectRefused(res, 400);
    });

    it('urlencoded login in an unsupported charset - 415', async () => {
      const res = await t
        .agent()
        .post('/auth/login')
        .set('Accept', 'application/json')
        .set('Content-Type', 'application/x-www-form-urlencoded; charset=utf-7')
        .send('username=a&password=b');
      expectRefused(res, 415);
    });

    it('form sign-up with 40 unknown fields - 400 and no account', async () => {
      const agent = t.agent();
      const _csrf = await csrfToken(agent, '/auth/signup');
      const newcomer = uniqueUser('junk');
      const junk = Array.from({ length: 40 }, (_, i) => `junk${i}=1`).join('&');
      const res = await agent
        .post('/auth/signup')
        .set('Accept', 'application/json')
        .type('form')
        .send(`${new URLSearchParams({ ...newcomer, _csrf })}&${junk}`);
      expectRefused(res, 400);
      expect(await countAccounts(t, newcomer.username)).toBe(0);
    });
  });
});
