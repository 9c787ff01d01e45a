/**
 * Issue 17, findings 3 (first half), 5 and 6: who may add a second factor,
 * what turning it on does to the account's other logins, and which login a
 * TOTP set-up belongs to.
 */
import { MfaErrors } from '../../src/mfa/mfa.errors';
import { Agent, loginBrowser, signUpBrowser, signUpVerified, storedSession, verifyEmail } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';
import { awayFromStepEdge, codeAt, recoveryCodesIn, startTotpSetup } from '../support/two-factor';
import { apiLogin, apiRefresh, browserRefresh, csrfToken, submitForm } from '../support/users';

describe('second factor hardening', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  /** A JSON request from a logged-in browser, with its CSRF token. */
  const jsonFrom = async (agent: Agent) => {
    const token = await csrfToken(agent, '/account/security');
    return {
      get: (path: string) => agent.get(path).set('Accept', 'application/json'),
      post: (path: string, body: object = {}) => agent.post(path).set('Accept', 'application/json').set('X-CSRF-Token', token).send(body),
    };
  };

  describe('an account whose address is not verified (account pre-hijacking)', () => {
    it('cannot start or confirm TOTP, nor ask for passkey options or register one - 403 with EMAIL_UNVERIFIED on each', async () => {
      const { agent } = await signUpBrowser(t);
      const json = await jsonFrom(agent);
      const refused = [
        await json.get('/account/2fa/totp'),
        await json.post('/account/2fa/totp', { code: '123456' }),
        await json.post('/account/passkeys/options'),
        await json.post('/account/passkeys', { name: 'Squatter', response: { id: 'x', rawId: 'x', type: 'public-key', response: {} } }),
      ];
      for (const res of refused) {
        expect(res.status).toBe(403);
        expect(res.body.message).toBe(MfaErrors.EMAIL_UNVERIFIED.message);
      }
      const page = await agent.get('/account/2fa/totp').set('Accept', 'text/html');
      expect(page.status).toBe(403);
      expect(page.text).not.toContain('data-testid="totp-secret"');
    });

    it('the security page explains it and points to the profile, with no set-up link and no passkey button; once verified, both are back', async () => {
      const { agent, user } = await signUpBrowser(t);
      const before = await agent.get('/account/security').set('Accept', 'text/html');
      expect(before.text).toContain('data-testid="verify-email-first"');
      expect(before.text).toContain('send the link again from <a href="/profile">your profile</a>');
      expect(before.text).not.toContain('href="/account/2fa/totp"');
      expect(before.text).not.toContain('data-passkey="register"');
      expect((await agent.get('/account/security').set('Accept', 'application/json')).body.emailVerified).toBe(false);

      await verifyEmail(t, user);
      const after = await agent.get('/account/security').set('Accept', 'text/html');
      expect(after.text).not.toContain('data-testid="verify-email-first"');
      expect(after.text).toContain('href="/account/2fa/totp"');
      expect(after.text).toContain('data-passkey="register"');
      // The database decides, not the access token, which still says unverified.
      expect((await agent.get('/account/2fa/totp').set('Accept', 'text/html')).status).toBe(200);
      expect((await (await jsonFrom(agent)).post('/account/passkeys/options')).status).toBe(200);
    });
  });

  describe('turning TOTP on (ASVS 7.4.3)', () => {
    it('ends every other login of the account - its refresh token answers 401 - and the page says so; this login stays', async () => {
      const owner = await signUpVerified(t);
      const other = await loginBrowser(t, owner.user);
      await awayFromStepEdge();
      const secret = await startTotpSetup(owner.agent);
      const on = await submitForm(owner.agent, '/account/2fa/totp', { code: codeAt(secret, -1) }, '/account/2fa/totp');
      expect(on.status).toBe(200);
      expect((await apiRefresh(t.agent(), other.refreshToken)).status).toBe(401);
      expect((await storedSession(t, other.sessionId))?.revokedReason).toBe('mfa_enabled');
      expect((await browserRefresh(owner.agent)).status).toBe(200);

      expect(recoveryCodesIn(on.text)).toHaveLength(10);
      expect(on.text).toMatch(/data-testid="sessions-ended">You were logged out everywhere else \(1 other login\)/);
    });

    it('from an API client - the answer counts the ended logins', async () => {
      const { user } = await signUpVerified(t);
      const tokens = await apiLogin(t.agent(), user);
      const bearer = (req: ReturnType<Agent['get']>) =>
        req.set('Authorization', `Bearer ${tokens.access_token}`).set('Accept', 'application/json');
      await awayFromStepEdge();
      const { secret } = (await bearer(t.agent().get('/account/2fa/totp'))).body as { secret: string };
      const on = await bearer(t.agent().post('/account/2fa/totp')).send({ code: codeAt(secret, -1) });
      expect(on.status).toBe(200);
      // The sign-up's own login is the other one.
      expect(on.body).toMatchObject({ recovery_codes: expect.any(Array), endedSessions: 1 });
      expect((await apiRefresh(t.agent(), tokens.refresh_token)).status).toBe(200);
    });
  });

  describe('a pending TOTP set-up belongs to the login that started it', () => {
    it('another login of the account cannot confirm it, even with a right code; the login that started it still can', async () => {
      const owner = await signUpVerified(t);
      const other = await loginBrowser(t, owner.user);
      await awayFromStepEdge();
      const secret = await startTotpSetup(owner.agent);
      const stolen = await (await jsonFrom(other.agent)).post('/account/2fa/totp', { code: codeAt(secret, -1) });
      expect(stolen.status).toBe(409);
      expect(stolen.body.message).toBe(MfaErrors.SETUP_NOT_STARTED.message);

      expect(await startTotpSetup(owner.agent)).toBe(secret);
      expect((await (await jsonFrom(owner.agent)).post('/account/2fa/totp', { code: codeAt(secret, -1) })).status).toBe(200);
    });

    it('another login starting a set-up never sees the pending secret: it gets its own, and the first login must start again', async () => {
      const owner = await signUpVerified(t);
      const other = await loginBrowser(t, owner.user);
      await awayFromStepEdge();
      const first = await startTotpSetup(owner.agent);
      const second = await startTotpSetup(other.agent);
      expect(second).not.toBe(first);

      const late = await (await jsonFrom(owner.agent)).post('/account/2fa/totp', { code: codeAt(first, -1) });
      expect(late.status).toBe(409);
      expect(late.body.message).toBe(MfaErrors.SETUP_NOT_STARTED.message);
      expect((await (await jsonFrom(other.agent)).post('/account/2fa/totp', { code: codeAt(second, -1) })).status).toBe(200);
    });
  });
});
