import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { MfaErrors } from '../../src/mfa/mfa.errors';
import { SecondFactor } from '../../src/mfa/schemas/second-factor.schema';
import { signUpVerified, userId } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';
import {
  awayFromStepEdge,
  codeAt,
  codeStep,
  enableTotp,
  jsonCodeStep,
  jsonPasswordStep,
  passwordStep,
  recoveryCodesIn,
  signUpWithTotp,
  startTotpSetup,
} from '../support/two-factor';
import { apiRefresh, cookieValue, csrfToken, setCookie, submitForm } from '../support/users';

/**
 * TOTP set-up and the two-step login, form and JSON, with codes computed
 * from the secret as a phone computes them (RFC 6238).
 */
describe('two-factor authentication (TOTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** A new user with TOTP on, and a fresh browser for their next login. */
  const twoFactorUser = async () => {
    return { ...(await signUpWithTotp(t)), browser: t.agent() };
  };

  describe('set-up', () => {
    it('GET /account/2fa/totp - a data: QR image, the secret as text, an otpauth:// link carrying it, and a code form', async () => {
      const { agent } = await signUpVerified(t);
      const page = await agent.get('/account/2fa/totp').set('Accept', 'text/html');
      expect(page.status).toBe(200);
      expect(page.text).toMatch(/<img src="data:image\/png;base64,[^"]+"/);
      const secret = await startTotpSetup(agent);
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      const link = /href="(otpauth:\/\/totp\/[^"]+)"/
        .exec(page.text)![1]
        .replace(/&amp;/g, '&')
        .replace(/&#x3D;/g, '=');
      expect(new URL(link).searchParams.get('secret')).toBe(secret);
      expect(page.text).toMatch(/<form method="post" action="\/account\/2fa\/totp"/);
      expect(page.text).toContain('name="code"');
    });

    it('a wrong code - 422, the form again, and two-factor authentication stays off', async () => {
      const { agent } = await signUpVerified(t);
      const secret = await startTotpSetup(agent);
      const wrong = String((Number(codeAt(secret)) + 1) % 1_000_000).padStart(6, '0');
      const res = await submitForm(agent, '/account/2fa/totp', { code: wrong }, '/account/2fa/totp');
      expect(res.status).toBe(422);
      expect(res.text).toContain(MfaErrors.SETUP_CODE_INVALID.message);
      const security = await agent.get('/account/security').set('Accept', 'application/json');
      expect(security.body.twoFactor).toMatchObject({ enabled: false });
    });

    it('the right code - 200 page with 10 recovery codes shown once; the security page says on, 10 left', async () => {
      const { agent } = await signUpVerified(t);
      const { recoveryCodes } = await enableTotp(agent);
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);
      const json = await agent.get('/account/security').set('Accept', 'application/json');
      expect(json.body.twoFactor).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
      const html = await agent.get('/account/security').set('Accept', 'text/html');
      expect(html.text).toContain('10 recovery codes left.');
      expect(recoveryCodesIn(html.text)).toEqual([]);
    });

    it('the TOTP secret at rest - sealed with AES-256-GCM, never the base32 secret', async () => {
      const { agent, user } = await signUpVerified(t);
      const { secret } = await enableTotp(agent);
      const stored = await t.app
        .get<Model<SecondFactor>>(getModelToken(SecondFactor.name))
        .findById(await userId(t, user.username))
        .lean();
      expect(stored?.totpSecret).toMatch(/^v1\./);
      expect(JSON.stringify(stored)).not.toContain(secret);
    });
  });

  describe('form login', () => {
    it('right password - no access or refresh cookie, 303 to /auth/2fa keeping next', async () => {
      const { user, browser } = await twoFactorUser();
      const res = await passwordStep(browser, user, { next: '/account/sessions' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/auth/2fa?next=%2Faccount%2Fsessions');
      expect(setCookie(res, 'access')).toBeUndefined();
      expect(setCookie(res, 'refresh')).toBeUndefined();
      // The password alone does not vouch for this browser against the account's lockout.
      expect(setCookie(res, 'device')).toBeUndefined();
      expect((await browser.get('/profile').set('Accept', 'application/json')).status).toBe(401);
      const page = await browser.get(res.headers.location).set('Accept', 'text/html');
      expect(page.status).toBe(200);
      expect(page.text).toContain('name="code"');
      expect(page.text).toContain('value="/account/sessions"');
    });

    it('a wrong code - 401 and the form again; then the right code - cookies set, 303 to next', async () => {
      const { user, secret, browser } = await twoFactorUser();
      await passwordStep(browser, user);
      const wrong = await codeStep(browser, '000000' === codeAt(secret) ? '111111' : '000000');
      expect(wrong.status).toBe(401);
      expect(wrong.text).toContain(MfaErrors.CODE_INVALID.message);
      expect(setCookie(wrong, 'access')).toBeUndefined();
      const right = await codeStep(browser, codeAt(secret), '/account/sessions');
      expect(right.status).toBe(303);
      expect(right.headers.location).toBe('/account/sessions');
      expect(cookieValue(right, 'access')).toBeTruthy();
      expect(cookieValue(right, 'refresh')).toBeTruthy();
      expect(cookieValue(right, 'device')).toBeTruthy();
      expect((await browser.get('/profile').set('Accept', 'application/json')).body.username).toBe(user.username);
    });

    it('a recovery code instead of a TOTP code - logs in', async () => {
      const { user, recoveryCodes, browser } = await twoFactorUser();
      await passwordStep(browser, user);
      const res = await codeStep(browser, recoveryCodes[0].toUpperCase());
      expect(res.status).toBe(303);
      expect(cookieValue(res, 'access')).toBeTruthy();
    });

    it('GET /auth/2fa without a pending login - 303 to the login form', async () => {
      const res = await t.agent().get('/auth/2fa').set('Accept', 'text/html');
      expect(res.status).toBe(303);
      expect(res.headers.location).toMatch(/^\/auth\/login/);
    });

    it('no path skips the code: the pending cookie cannot refresh, and /auth/2fa without a pending login refuses a right code', async () => {
      const { user, secret, browser } = await twoFactorUser();
      await passwordStep(browser, user);
      const refresh = await browser
        .post('/auth/refresh')
        .set('Accept', 'application/json')
        .set('X-CSRF-Token', await csrfToken(browser, '/'));
      expect(refresh.status).toBe(401);
      const stranger = t.agent();
      const _csrf = await csrfToken(stranger, '/auth/login');
      const res = await stranger
        .post('/auth/2fa')
        .set('Accept', 'text/html')
        .type('form')
        .send({ code: codeAt(secret), _csrf });
      expect(res.status).toBe(401);
      expect(res.text).toContain(MfaErrors.PENDING_LOGIN_INVALID.message);
    });
  });

  describe('clock drift and single use', () => {
    it('a code one step old - accepted; two steps old - refused', async () => {
      const { user, secret, browser } = await twoFactorUser();
      // enableTotp spent the previous step; a fresh account shows drift on its own.
      await awayFromStepEdge();
      await passwordStep(browser, user);
      expect((await codeStep(browser, codeAt(secret, -2))).status).toBe(401);
      expect((await codeStep(browser, codeAt(secret, +1))).status).toBe(303);
    });

    it('a code one step ahead - accepted', async () => {
      const { user, secret, browser } = await twoFactorUser();
      await awayFromStepEdge();
      await passwordStep(browser, user);
      expect((await codeStep(browser, codeAt(secret, +1))).status).toBe(303);
    });

    it('the same code twice - the second login is refused', async () => {
      const { user, secret, browser } = await twoFactorUser();
      await awayFromStepEdge();
      const code = codeAt(secret);
      await passwordStep(browser, user);
      expect((await codeStep(browser, code)).status).toBe(303);
      const second = t.agent();
      await passwordStep(second, user);
      expect((await codeStep(second, code)).status).toBe(401);
    });

    it('an older code after a newer one was used - refused (the last used step only moves forward)', async () => {
      const { user, secret, browser } = await twoFactorUser();
      await awayFromStepEdge();
      await passwordStep(browser, user);
      expect((await codeStep(browser, codeAt(secret, +1))).status).toBe(303);
      const second = t.agent();
      await passwordStep(second, user);
      expect((await codeStep(second, codeAt(secret, 0))).status).toBe(401);
    });

    it('five logins racing with one code - exactly one gets in', async () => {
      const { user, secret } = await twoFactorUser();
      await awayFromStepEdge();
      const browsers = Array.from({ length: 5 }, () => t.agent());
      for (const b of browsers) await passwordStep(b, user);
      const tokens = await Promise.all(browsers.map((b) => csrfToken(b, '/auth/2fa')));
      const code = codeAt(secret);
      const results = await Promise.all(
        browsers.map((b, i) => b.post('/auth/2fa').set('Accept', 'text/html').type('form').send({ code, _csrf: tokens[i] })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([303, 401, 401, 401, 401]);
    });

    it('one pending login used twice with two good codes - the second gets nothing', async () => {
      const { user, secret, recoveryCodes } = await twoFactorUser();
      await awayFromStepEdge();
      const { body } = await jsonPasswordStep(t.agent(), user);
      expect((await jsonCodeStep(t.agent(), body.mfa_token, codeAt(secret))).status).toBe(200);
      const again = await jsonCodeStep(t.agent(), body.mfa_token, recoveryCodes[0]);
      expect(again.status).toBe(401);
      expect(again.body.message).toBe(MfaErrors.PENDING_LOGIN_INVALID.message);
    });
  });

  describe('recovery codes', () => {
    it('each works once', async () => {
      const { user, recoveryCodes } = await twoFactorUser();
      const first = t.agent();
      await passwordStep(first, user);
      expect((await codeStep(first, recoveryCodes[3])).status).toBe(303);
      const second = t.agent();
      await passwordStep(second, user);
      expect((await codeStep(second, recoveryCodes[3])).status).toBe(401);
      const left = await first.get('/account/security').set('Accept', 'application/json');
      expect(left.body.twoFactor.recoveryCodesLeft).toBe(9);
    });

    it('a new set - 10 new codes; the old ones stop working and the new ones work', async () => {
      const { agent, user, recoveryCodes } = await twoFactorUser();
      const res = await submitForm(agent, '/account/2fa/recovery-codes', {}, '/account/security');
      expect(res.status).toBe(200);
      const fresh = recoveryCodesIn(res.text);
      expect(fresh).toHaveLength(10);
      expect(fresh.some((c) => recoveryCodes.includes(c))).toBe(false);
      const old = t.agent();
      await passwordStep(old, user);
      expect((await codeStep(old, recoveryCodes[0])).status).toBe(401);
      expect((await codeStep(old, fresh[0])).status).toBe(303);
    });
  });

  describe('JSON login', () => {
    it('right password - 401 { statusCode, error: mfa_required, mfa_token } and no tokens', async () => {
      const { user } = await twoFactorUser();
      const res = await jsonPasswordStep(t.agent(), user);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'mfa_required', mfa_token: expect.any(String) });
      expect(res.body.access_token).toBeUndefined();
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it('POST /auth/2fa { mfa_token, code } - 200 and a working token pair; no CSRF token needed', async () => {
      const { user, secret } = await twoFactorUser();
      await awayFromStepEdge();
      const { body } = await jsonPasswordStep(t.agent(), user);
      const res = await jsonCodeStep(t.agent(), body.mfa_token, codeAt(secret));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String), token_type: 'Bearer' });
      const profile = await t.agent().get('/profile').set('Authorization', `Bearer ${res.body.access_token}`);
      expect(profile.body.username).toBe(user.username);
      expect((await apiRefresh(t.agent(), res.body.refresh_token)).status).toBe(200);
    });

    it('the mfa_token is no refresh token and no access token', async () => {
      const { user } = await twoFactorUser();
      const { body } = await jsonPasswordStep(t.agent(), user);
      expect((await apiRefresh(t.agent(), body.mfa_token)).status).toBe(401);
      expect((await t.agent().get('/profile').set('Authorization', `Bearer ${body.mfa_token}`)).status).toBe(401);
    });

    it('a wrong code - 401 JSON with the message; a tampered mfa_token - 401', async () => {
      const { user, secret } = await twoFactorUser();
      const { body } = await jsonPasswordStep(t.agent(), user);
      const wrong = await jsonCodeStep(t.agent(), body.mfa_token, codeAt(secret) === '123456' ? '654321' : '123456');
      expect(wrong.status).toBe(401);
      expect(wrong.body).toMatchObject({ statusCode: 401, message: MfaErrors.CODE_INVALID.message });
      const tampered = `${body.mfa_token.slice(0, -2)}xx`;
      expect((await jsonCodeStep(t.agent(), tampered, codeAt(secret))).status).toBe(401);
    });
  });
});
