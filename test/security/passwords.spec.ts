/**
 * Attack 6: weak and over-long passwords. 8 to 64 characters and at most 72
 * UTF-8 bytes (bcrypt's limit: no silent truncation, ASVS 6.2.8), common
 * passwords refused (ASVS 6.2.4), and a 72-byte password cannot be matched
 * by a longer one that starts with it.
 */
import { countAccounts, jsonSignUp } from '../support/security';
import { startTestApp, TestApp } from '../support/test-app';
import { apiLogin, csrfToken, signUp, submitForm, uniqueUser } from '../support/users';
import { AuthErrors } from '../../src/auth/auth.errors';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('passwords', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  /** A sign-up that must fail on the password alone: 422 naming only the password, and no account. */
  async function expectPasswordRefused(password: string, message: RegExp) {
    const user = { ...uniqueUser('pw'), password };
    const res = await jsonSignUp(t.agent(), user);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ statusCode: 422, message: expect.any(String), errors: { password: expect.stringMatching(message) } });
    expect(await countAccounts(t, user.username)).toBe(0);
  }

  async function expectPasswordAccepted(password: string) {
    const user = { ...uniqueUser('pw'), password };
    const res = await jsonSignUp(t.agent(), user);
    // A JSON sign-up answers 201 with the token pair (docs/http.md).
    expect(res.status).toBe(201);
    expect((await t.agent().post('/auth/login').send({ username: user.username, password })).status).toBe(200);
  }

  describe('length', () => {
    it('sign-up with 7 characters - 422 "at least 8", no account', async () => {
      await expectPasswordRefused('Qz7-kP2', /at least 8 characters/);
    });

    it('sign-up with exactly 8 characters - 201, and it logs in (boundary)', async () => {
      await expectPasswordAccepted('Qz7-kP2!');
    });

    it('sign-up with 7 characters that are 14 bytes (é) - 422, length counts characters, not bytes', async () => {
      await expectPasswordRefused('ééééééé', /at least 8 characters/);
    });

    it('sign-up with exactly 64 characters - 201 (boundary)', async () => {
      const password = `Zq-${'x7'.repeat(30)}k`;
      expect(password).toHaveLength(64);
      await expectPasswordAccepted(password);
    });

    it('sign-up with 65 characters - 422 "at most 64 characters", no account', async () => {
      const password = `Zq-${'x7'.repeat(30)}k9`;
      expect(password).toHaveLength(65);
      await expectPasswordRefused(password, /at most 64 characters/);
    });

    it('sign-up with 37 characters that are 74 bytes (é) - 422 naming the 72-byte limit', async () => {
      const password = 'é'.repeat(37);
      expect(bytes(password)).toBe(74);
      await expectPasswordRefused(password, /72 bytes/);
    });

    it('sign-up with 62 characters that are 74 bytes (six CJK characters among ASCII) - 422 naming the 72-byte limit', async () => {
      const password = `${'Kq9-'.repeat(14)}${'密'.repeat(6)}`;
      expect(password).toHaveLength(62);
      expect(bytes(password)).toBe(74);
      await expectPasswordRefused(password, /72 bytes/);
    });

    it('sign-up with 19 characters that are 73 bytes (emoji and one letter) - 422 naming the 72-byte limit', async () => {
      const password = `x${'🔑'.repeat(18)}`;
      expect(bytes(password)).toBe(73);
      await expectPasswordRefused(password, /72 bytes/);
    });

    it('sign-up form with 7 characters - 422 page with the error, and the password is not echoed back', async () => {
      const user = { ...uniqueUser('pw'), password: 'Qz7-kP2' };
      const res = await submitForm(t.agent(), '/auth/signup', user);
      expect(res.status).toBe(422);
      expect(res.text).toContain('Password must be at least 8 characters.');
      expect(res.text).not.toContain('value="Qz7-kP2"');
    });
  });

  describe('common passwords', () => {
    it.each(['password123', 'Password123', 'PASSWORD123', 'qwertyuiop', 'iloveyou1', '1234567890'])(
      'sign-up with "%s" - 422 "too common", no account',
      async (password) => {
        await expectPasswordRefused(password, /too common/);
      },
    );

    it('sign-up with a long passphrase not on the list - 201 (control)', async () => {
      await expectPasswordAccepted('correct horse battery staple');
    });

    it('password change to "password123" - 422 on newPassword, and the old password still works', async () => {
      const browser = t.agent();
      const user = await signUp(browser, uniqueUser('pw'));
      const _csrf = await csrfToken(browser, '/account/password');
      const res = await browser
        .post('/account/password')
        .set('Accept', 'application/json')
        .type('form')
        .send({ currentPassword: user.password, newPassword: 'password123', _csrf });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual({ newPassword: expect.stringMatching(/too common/) });
      await apiLogin(t.agent(), user);
    });

    it('password change to 74 bytes - 422 on newPassword', async () => {
      const browser = t.agent();
      const user = await signUp(browser, uniqueUser('pw'));
      const _csrf = await csrfToken(browser, '/account/password');
      const res = await browser
        .post('/account/password')
        .set('Accept', 'application/json')
        .type('form')
        .send({ currentPassword: user.password, newPassword: 'é'.repeat(37), _csrf });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual({ newPassword: expect.stringMatching(/72 bytes/) });
    });
  });

  describe('no truncation at 72 bytes', () => {
    /** 64 characters, exactly 72 bytes: eight 2-byte letters among ASCII. */
    const exactly72 = () => `${uniqueUser().password.slice(3)}-${'ä'.repeat(8)}`.padEnd(64, 'k').slice(0, 64);

    let user: { username: string; email: string; password: string };
    beforeAll(async () => {
      user = { ...uniqueUser('trunc'), password: exactly72() };
      expect(user.password).toHaveLength(64);
      expect(bytes(user.password)).toBe(72);
      await signUp(t.agent(), user);
    });

    it('login with the exact 72-byte password - 200 (control)', async () => {
      expect((await t.agent().post('/auth/login').send({ username: user.username, password: user.password })).status).toBe(200);
    });

    it.each([
      ['one more ASCII character', 'x'],
      ['one more 2-byte character', 'é'],
      ['an emoji', '🔑'],
      ['1000 more characters', 'y'.repeat(1000)],
    ])('login with those 72 bytes plus %s - 401', async (_label, extra) => {
      const res = await t
        .agent()
        .post('/auth/login')
        .send({ username: user.username, password: `${user.password}${extra}` });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, message: AuthErrors.INVALID_CREDENTIALS.message });
    });

    it('form login with those 72 bytes plus more - 401, no cookies', async () => {
      const res = await submitForm(t.agent(), '/auth/login', { username: user.username, password: `${user.password}zz` });
      expect(res.status).toBe(401);
      expect(res.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringContaining('access')]));
    });
  });
});
