import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { DataKeys } from '../../src/mfa/data-keys';
import { MfaErrors } from '../../src/mfa/mfa.errors';
import { SecondFactor } from '../../src/mfa/schemas/second-factor.schema';
import { makeAdmin, signUpBrowser, signUpVerified, userId } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';
import { ageLogin as ageProof, codeAt, codeStep, jsonCodeStep, passwordStep, signUpWithTotp } from '../support/two-factor';
import { cookieValue, csrfToken, submitForm } from '../support/users';

/**
 * What keeps the second factor from being walked around: the pending
 * login's expiry, re-authentication for changes, turning it off, and the
 * admin reset. Throttling and a real short window: two-factor-limits.spec.ts.
 */
describe('second factor: expiry, re-authentication, admin reset', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const twoFactorUser = () => signUpWithTotp(t);

  const ageLogin = (sessionId: string) => ageProof(t, sessionId);

  describe('the pending login', () => {
    it('past its lifetime - refused with a right code', async () => {
      const { user, secret } = await twoFactorUser();
      const id = await userId(t, user.username);
      // Signed with the app's own key, so only the expiry is wrong with it.
      const keys = new DataKeys(t.config.dataEncryptionKey);
      const body = Buffer.from(
        JSON.stringify({ id: 'expired-login', userId: id, persistent: false, expiresAt: Date.now() - 1000 }),
      ).toString('base64url');
      const expired = `${body}.${keys.mac('pending-login', body)}`;
      const res = await jsonCodeStep(t.agent(), expired, codeAt(secret));
      expect(res.status).toBe(401);
      expect(res.body.message).toBe(MfaErrors.PENDING_LOGIN_INVALID.message);
      // The same token with a live expiry works: the expiry was the only reason.
      const liveBody = Buffer.from(
        JSON.stringify({ id: 'live-login', userId: id, persistent: false, expiresAt: Date.now() + 60_000 }),
      ).toString('base64url');
      expect((await jsonCodeStep(t.agent(), `${liveBody}.${keys.mac('pending-login', liveBody)}`, codeAt(secret))).status).toBe(200);
    });

    it('the form login after a right code - the pending cookie is cleared', async () => {
      const { user, secret } = await twoFactorUser();
      const browser = t.agent();
      const step = await passwordStep(browser, user);
      expect(cookieValue(step, 'mfa')).toBeTruthy();
      const done = await codeStep(browser, codeAt(secret));
      expect(done.status).toBe(303);
      expect(cookieValue(done, 'mfa')).toBe('');
    });
  });

  describe('re-authentication', () => {
    it('right after logging in - no re-authentication asked (the login is the proof)', async () => {
      const { agent } = await signUpVerified(t);
      expect((await agent.get('/account/2fa/totp').set('Accept', 'text/html')).status).toBe(200);
    });

    it('past the window - a page goes to /auth/reauth?next=…, JSON gets 401 reauth_required', async () => {
      const { agent, sessionId } = await signUpVerified(t);
      await ageLogin(sessionId);
      const page = await agent.get('/account/2fa/totp').set('Accept', 'text/html');
      expect(page.status).toBe(303);
      expect(page.headers.location).toBe('/auth/reauth?next=%2Faccount%2F2fa%2Ftotp');
      const token = await csrfToken(agent, '/account/security');
      for (const path of ['/account/2fa/recovery-codes', '/account/passkeys/options']) {
        const res = await agent.post(path).set('Accept', 'application/json').set('X-CSRF-Token', token);
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ statusCode: 401, error: 'reauth_required' });
      }
      const form = await submitForm(agent, '/account/2fa/recovery-codes', {}, '/account/security');
      expect(form.status).toBe(303);
      expect(form.headers.location).toBe('/auth/reauth?next=%2Faccount%2Fsecurity');
    });

    it('a wrong password at /auth/reauth - 401 and the form; the right one - 303 to next, and the change is allowed', async () => {
      const { agent, user, sessionId } = await signUpVerified(t);
      await ageLogin(sessionId);
      const wrong = await submitForm(agent, '/auth/reauth', { password: 'not-the-password', next: '/account/2fa/totp' }, '/auth/reauth');
      expect(wrong.status).toBe(401);
      expect(wrong.text).toContain(MfaErrors.PASSWORD_INVALID.message);
      const right = await submitForm(agent, '/auth/reauth', { password: user.password, next: '/account/2fa/totp' }, '/auth/reauth');
      expect(right.status).toBe(303);
      expect(right.headers.location).toBe('/account/2fa/totp');
      expect((await agent.get('/account/2fa/totp').set('Accept', 'text/html')).status).toBe(200);
    });

    it('turning it off asks for the current password and a code, so it works past the window; a wrong password or code - 401', async () => {
      const { agent, user, sessionId, secret } = await twoFactorUser();
      await ageLogin(sessionId);
      const badPassword = await submitForm(
        agent,
        '/account/2fa/disable',
        { currentPassword: 'wrong-password', code: codeAt(secret) },
        '/account/security',
      );
      expect(badPassword.status).toBe(401);
      expect(badPassword.text).toContain(MfaErrors.CURRENT_PASSWORD_INVALID.message);
      const badCode = await submitForm(
        agent,
        '/account/2fa/disable',
        { currentPassword: user.password, code: '12345x' },
        '/account/security',
      );
      expect(badCode.status).toBe(401);
      const off = await submitForm(
        agent,
        '/account/2fa/disable',
        { currentPassword: user.password, code: codeAt(secret) },
        '/account/security',
      );
      expect(off.status).toBe(303);
      expect(off.headers.location).toBe('/account/security');
      const login = await passwordStep(t.agent(), user);
      expect(login.headers.location).toBe('/profile');
      expect(cookieValue(login, 'access')).toBeTruthy();
    });
  });

  describe('account deletion', () => {
    it('deleting an account removes its TOTP secret and recovery codes', async () => {
      const { agent, user } = await twoFactorUser();
      const id = await userId(t, user.username);
      const factors = t.app.get<Model<SecondFactor>>(getModelToken(SecondFactor.name));
      expect(await factors.countDocuments({ _id: id })).toBe(1);
      const res = await submitForm(agent, '/account/delete', { currentPassword: user.password }, '/account/delete');
      expect(res.status).toBe(303);
      expect(await factors.countDocuments({ _id: id })).toBe(0);
    });
  });

  describe('admin reset', () => {
    it('the list shows who has it on; a reset turns it off, and the user logs in with the password alone', async () => {
      const admin = await makeAdmin(t, (await signUpBrowser(t)).user);
      const { user } = await twoFactorUser();
      const id = await userId(t, user.username);
      const listed = async () =>
        (await admin.agent.get(`/admin/users?q=${user.username}`).set('Accept', 'application/json')).body.users[0] as {
          twoFactor: boolean;
        };
      expect((await listed()).twoFactor).toBe(true);
      const html = await admin.agent.get(`/admin/users?q=${user.username}`).set('Accept', 'text/html');
      expect(html.text).toContain(`action="/admin/users/${id}/reset-2fa"`);

      const res = await submitForm(
        admin.agent,
        `/admin/users/${id}/reset-2fa`,
        { returnTo: `/admin/users?q=${user.username}` },
        '/admin/users',
      );
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/admin/users?q=${user.username}`);
      expect((await listed()).twoFactor).toBe(false);
      const login = await passwordStep(t.agent(), user);
      expect(login.headers.location).toBe('/profile');
    });

    it('a user who is not an admin - 403, and the second factor stays', async () => {
      const { agent } = await signUpBrowser(t);
      const { user } = await twoFactorUser();
      const res = await submitForm(agent, `/admin/users/${await userId(t, user.username)}/reset-2fa`, {}, '/');
      expect(res.status).toBe(403);
      expect((await passwordStep(t.agent(), user)).headers.location).toMatch(/^\/auth\/2fa/);
    });
  });
});
