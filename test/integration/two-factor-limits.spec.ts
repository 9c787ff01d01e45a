import { setTimeout as sleep } from 'node:timers/promises';
import { MfaErrors } from '../../src/mfa/mfa.errors';
import { signUpVerified } from '../support/lifecycle';
import { submitForm } from '../support/users';
import { startTestApp, TestApp } from '../support/test-app';
import { awayFromStepEdge, codeAt, enableTotp, jsonCodeStep, jsonPasswordStep } from '../support/two-factor';

/**
 * The second factor's limits with short real windows: wrong codes per
 * pending login and per account (RATE_LIMIT_PER_ACCOUNT), and REAUTH_WINDOW.
 * One app per file: Passport's strategies are process-wide.
 */
describe('second factor limits', () => {
  // Waits for real windows and TOTP steps; no duration is asserted.
  jest.setTimeout(90_000);
  let limited: TestApp;
  beforeAll(async () => {
    limited = await startTestApp({ RATE_LIMIT_PER_ACCOUNT: '7/12s', REAUTH_WINDOW: '20s' });
  });
  afterAll(() => limited.close());

  /** Re-authenticates just before the set-up, which the short window would otherwise refuse. */
  const twoFactorUser = async () => {
    const login = await signUpVerified(limited);
    // Away from a step's end, so the set-up does not wait for the next step and outlive the window.
    await awayFromStepEdge();
    await submitForm(login.agent, '/auth/reauth', { password: login.user.password }, '/auth/reauth');
    return { ...login, ...(await enableTotp(login.agent)) };
  };

  describe('throttling wrong codes', () => {
    it('5 wrong codes on one pending login, then 429 even for the right code; past 7 per account 429 on a new one; after the window, a login works', async () => {
      const { user, secret } = await twoFactorUser();
      const wrong = codeAt(secret) === '000000' ? '111111' : '000000';
      const first = (await jsonPasswordStep(limited.agent(), user)).body.mfa_token as string;
      for (let i = 0; i < 5; i++) expect((await jsonCodeStep(limited.agent(), first, wrong)).status).toBe(401);
      const sixth = await jsonCodeStep(limited.agent(), first, codeAt(secret));
      expect(sixth.status).toBe(429);
      expect(sixth.body.message).toBe(MfaErrors.TOO_MANY_CODES.message);
      // Whole seconds until a try may count again: within the pending login's 5 minutes.
      expect(Number(sixth.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(sixth.headers['retry-after'])).toBeLessThanOrEqual(300);

      const second = (await jsonPasswordStep(limited.agent(), user)).body.mfa_token as string;
      expect((await jsonCodeStep(limited.agent(), second, wrong)).status).toBe(401);
      const accountLimited = await jsonCodeStep(limited.agent(), second, codeAt(secret));
      expect(accountLimited.status).toBe(429);
      // The account's window (7 per 12 s) is what blocks this new pending login.
      expect(Number(accountLimited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(accountLimited.headers['retry-after'])).toBeLessThanOrEqual(12);

      // Never a permanent lockout: the window passes and the owner gets in.
      await sleep(13_000);
      const third = (await jsonPasswordStep(limited.agent(), user)).body.mfa_token as string;
      expect((await jsonCodeStep(limited.agent(), third, codeAt(secret))).status).toBe(200);
    });
  });

  describe('re-authentication', () => {
    it('with a real REAUTH_WINDOW of 20s - asked again once it has passed', async () => {
      const { agent } = await signUpVerified(limited);
      expect((await agent.get('/account/2fa/totp').set('Accept', 'text/html')).status).toBe(200);
      await sleep(20_500);
      const again = await agent.get('/account/2fa/totp').set('Accept', 'text/html');
      expect(again.status).toBe(303);
      expect(again.headers.location).toBe('/auth/reauth?next=%2Faccount%2F2fa%2Ftotp');
    });
  });
});
