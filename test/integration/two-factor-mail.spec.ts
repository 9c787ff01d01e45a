import { MfaErrors } from '../../src/mfa/mfa.errors';
import { makeAdmin, signUpBrowser, signUpVerified, userId } from '../support/lifecycle';
import { TestMailbox } from '../support/smtp';
import { MAIL_APP_URL, mailSettled, resetToken, startMailApp, stopMailApp } from '../support/smtp-flows';
import { TestApp } from '../support/test-app';
import { awayFromStepEdge, codeAt, codeStep, enableTotp, passwordStep } from '../support/two-factor';
import { csrfToken, submitForm } from '../support/users';

const NOTICE = /sign-in settings were changed/;

/** The second factor where it meets mail: notices of every change, and the password reset that needs a code. */
describe('second factor and mail', () => {
  let mailbox: TestMailbox;
  let t: TestApp;
  beforeAll(async () => ({ mailbox, t } = await startMailApp()));
  afterAll(() => stopMailApp({ mailbox, t }));

  const notices = async (email: string) => {
    await mailSettled(t);
    return mailbox
      .to(email)
      .filter((m) => NOTICE.test(m.subject))
      .map((m) => m.text);
  };

  it('turning it on, new recovery codes and an admin reset - each mails the owner a notice with a link to the security page', async () => {
    const { agent, user } = await signUpVerified(t);
    await enableTotp(agent);
    expect(await notices(user.email)).toEqual([expect.stringContaining('two-factor authentication was turned on')]);
    expect((await notices(user.email))[0]).toContain(`${MAIL_APP_URL}/account/security`);

    await submitForm(agent, '/account/2fa/recovery-codes', {}, '/account/security');
    expect((await notices(user.email))[1]).toContain('a new set of recovery codes was made');

    const admin = await makeAdmin(t, (await signUpBrowser(t)).user);
    await submitForm(admin.agent, `/admin/users/${await userId(t, user.username)}/reset-2fa`, {}, '/admin/users');
    expect((await notices(user.email))[2]).toContain('an administrator turned off your two-factor authentication');
  });

  describe('password reset of an account with two-factor authentication', () => {
    const reset = async (agent: ReturnType<TestApp['agent']>, token: string, fields: Record<string, string>) => {
      const _csrf = await csrfToken(agent, `/auth/reset?token=${encodeURIComponent(token)}`);
      return agent
        .post('/auth/reset')
        .set('Accept', 'text/html')
        .type('form')
        .send({ token, _csrf, ...fields });
    };

    it('without a code or with a wrong one - 401 and the link still works; with the right code - reset, and the next login still asks for a code', async () => {
      const { agent, user } = await signUpVerified(t);
      const { secret } = await enableTotp(agent);
      const token = await resetToken(t, mailbox, user);
      const browser = t.agent();
      const newPassword = `${user.password}-new`;

      const missing = await reset(browser, token, { newPassword });
      expect(missing.status).toBe(401);
      expect(missing.text).toContain(MfaErrors.CODE_INVALID.message);
      expect((await reset(browser, token, { newPassword, code: '12345x' })).status).toBe(401);

      await awayFromStepEdge();
      const done = await reset(browser, token, { newPassword, code: codeAt(secret) });
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/auth/login');

      const login = t.agent();
      const step = await passwordStep(login, { ...user, password: newPassword });
      expect(step.headers.location).toMatch(/^\/auth\/2fa/);
      expect((await codeStep(login, codeAt(secret, +1))).status).toBe(303);
    });

    it('an account without two-factor authentication - no code asked', async () => {
      const { user } = await signUpBrowser(t);
      const token = await resetToken(t, mailbox, user);
      expect((await reset(t.agent(), token, { newPassword: `${user.password}-new` })).status).toBe(303);
    });
  });
});
