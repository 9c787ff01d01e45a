import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { MfaErrors } from '../../src/mfa/mfa.errors';
import { WebauthnChallenge } from '../../src/mfa/schemas/webauthn-challenge.schema';
import { SecondFactorService } from '../../src/mfa/second-factor.service';
import { signUpVerified, userId } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';
import { awayFromStepEdge, codeAt, startTotpSetup } from '../support/two-factor';
import { csrfToken, submitForm } from '../support/users';

/**
 * SecondFactorService.cancelPendingSetup, which a password change or reset
 * calls: a factor set-up started before it cannot be finished after it.
 */
describe('cancelling a pending second-factor set-up', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const registerChallenges = (id: string) =>
    t.app.get<Model<WebauthnChallenge>>(getModelToken(WebauthnChallenge.name)).countDocuments({ userId: id, purpose: 'register' });

  it('a started TOTP set-up - the right code then answers 409 SETUP_NOT_STARTED, and a new set-up gets a new secret that works', async () => {
    const { agent, user } = await signUpVerified(t);
    await awayFromStepEdge();
    const secret = await startTotpSetup(agent);
    await t.app.get(SecondFactorService).cancelPendingSetup(await userId(t, user.username));

    const late = await submitForm(agent, '/account/2fa/totp', { code: codeAt(secret, -1) }, '/account/security');
    expect(late.status).toBe(409);
    expect(late.text).toContain(MfaErrors.SETUP_NOT_STARTED.message);
    const fresh = await startTotpSetup(agent);
    expect(fresh).not.toBe(secret);
    expect((await submitForm(agent, '/account/2fa/totp', { code: codeAt(fresh, -1) }, '/account/2fa/totp')).status).toBe(200);
  });

  it('unanswered passkey registrations - their challenges are gone, so no passkey can be added with them', async () => {
    const { agent, user } = await signUpVerified(t);
    const id = await userId(t, user.username);
    const token = await csrfToken(agent, '/account/security');
    for (let i = 0; i < 2; i++) {
      expect((await agent.post('/account/passkeys/options').set('Accept', 'application/json').set('X-CSRF-Token', token)).status).toBe(200);
    }
    expect(await registerChallenges(id)).toBe(2);
    await t.app.get(SecondFactorService).cancelPendingSetup(id);
    expect(await registerChallenges(id)).toBe(0);
  });

  it('an account with nothing pending - nothing to do, no error', async () => {
    const { user } = await signUpVerified(t);
    await expect(t.app.get(SecondFactorService).cancelPendingSetup(await userId(t, user.username))).resolves.toBeUndefined();
  });
});
