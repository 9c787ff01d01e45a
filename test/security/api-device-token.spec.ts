/**
 * Issue 17, "API clients can still be locked out by strangers": a completed
 * JSON login earns the client a device token, its device cookie, which it
 * sends back in the Device-Token header of its next logins so that its
 * attempts count apart from the account's, which strangers can exhaust.
 *
 * Apps here run with TRUST_PROXY=true so each request can be its own client
 * by sending X-Forwarded-For (a header only; all traffic stays on loopback).
 */
import { signUpWithTotp, awayFromStepEdge, codeAt, jsonCodeStep, jsonPasswordStep } from '../support/two-factor';
import { uniqueIp } from '../support/security';
import { startTestApp, TestApp } from '../support/test-app';
import { apiRefresh, signUp, TestUser, uniqueUser } from '../support/users';

const WRONG = 'Wrong-password-1';
const LIMIT = 3;
const DEVICE_TOKEN = /^[a-f0-9]{24}\.[\w-]{22}\.[\w-]{43}$/;

describe(`API clients' device tokens (RATE_LIMIT_PER_ACCOUNT=${LIMIT}/1m)`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_IP: '100000/1m', RATE_LIMIT_PER_ACCOUNT: `${LIMIT}/1m`, TRUST_PROXY: 'true' });
  });
  afterAll(() => t.close());

  /** A JSON login from a client of its own, with a device token when given. */
  function jsonLogin(username: string, password: string, deviceToken?: string) {
    const req = t.agent().post('/auth/login').set('X-Forwarded-For', uniqueIp());
    if (deviceToken) req.set('Device-Token', deviceToken);
    return req.send({ username, password });
  }

  /** An owner whose script logged in once, which earned it a device token. */
  async function ownerWithToken(): Promise<{ user: TestUser; token: string }> {
    const user = await signUp(t.agent(), uniqueUser('script'));
    const res = await jsonLogin(user.username, user.password);
    expect(res.status).toBe(200);
    expect(res.body.device_token).toMatch(DEVICE_TOKEN);
    return { user, token: res.body.device_token as string };
  }

  async function exhaust(username: string): Promise<void> {
    for (let i = 0; i < LIMIT; i++) await jsonLogin(username, WRONG);
    expect((await jsonLogin(username, WRONG)).status).toBe(429);
  }

  it("strangers exhaust the account - the owner's script with its device token still logs in; without it, 429", async () => {
    const { user, token } = await ownerWithToken();
    await exhaust(user.username);
    const res = await jsonLogin(user.username, user.password, token);
    expect(res.status).toBe(200);
    expect(res.body.device_token).toMatch(DEVICE_TOKEN);
    expect((await jsonLogin(user.username, user.password)).status).toBe(429);
  });

  it('a JSON sign-up and a completed second-factor step earn one; the mfa_required answer and a refresh do not', async () => {
    const signUpRes = await t.agent().post('/auth/signup').send(uniqueUser('api'));
    expect(signUpRes.body.device_token).toMatch(DEVICE_TOKEN);
    expect((await apiRefresh(t.agent(), signUpRes.body.refresh_token)).body.device_token).toBeUndefined();

    const { user, secret } = await signUpWithTotp(t);
    await awayFromStepEdge();
    const password = await jsonPasswordStep(t.agent(), user);
    expect(password.body.device_token).toBeUndefined();
    const code = await jsonCodeStep(t.agent(), password.body.mfa_token, codeAt(secret));
    expect(code.status).toBe(200);
    expect(code.body.device_token).toMatch(DEVICE_TOKEN);
  });

  it("a device token earned on the attacker's own account - 429 on the victim's", async () => {
    const { user: victim } = await ownerWithToken();
    const { token: attackers } = await ownerWithToken();
    await exhaust(victim.username);
    expect((await jsonLogin(victim.username, victim.password, attackers)).status).toBe(429);
  });

  it("a token naming the victim's account with a MAC that does not hold, or none - 429", async () => {
    const { user: victim, token } = await ownerWithToken();
    const { token: attackers } = await ownerWithToken();
    await exhaust(victim.username);
    const [victimId, nonce, mac] = token.split('.');
    const [, attackersNonce, attackersMac] = attackers.split('.');
    for (const forged of [
      `${victimId}.${attackersNonce}.${attackersMac}`,
      `${victimId}.${nonce}`,
      `${victimId}.${nonce}.${mac.slice(1)}x`,
    ]) {
      expect((await jsonLogin(victim.username, victim.password, forged)).status).toBe(429);
    }
  });

  it('a stolen device token - limited to RATE_LIMIT_PER_ACCOUNT guesses of its own, then 429', async () => {
    const { user, token } = await ownerWithToken();
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 1; i++) statuses.push((await jsonLogin(user.username, WRONG, token)).status);
    expect(statuses).toEqual([...Array(LIMIT).fill(401), 429]);
    expect((await jsonLogin(user.username, user.password, token)).status).toBe(429);
  });

  it('the device token buys nothing behind a login - current-password guesses still count against the account', async () => {
    const { user, token } = await ownerWithToken();
    const { access_token } = (await jsonLogin(user.username, user.password, token)).body as { access_token: string };
    const reauth = () =>
      t.agent().post('/auth/reauth').set('Authorization', `Bearer ${access_token}`).set('Device-Token', token).send({ password: WRONG });
    // The account's count already holds the script's first login, which earned the token.
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await reauth()).status);
    expect(statuses).toEqual([...Array(LIMIT - 1).fill(401), 429]);
  });
});
