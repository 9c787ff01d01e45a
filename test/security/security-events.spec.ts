import { Logger } from '@nestjs/common';
import { startTestApp, TestApp } from '../support/test-app';
import { apiLogin, signUp, uniqueUser } from '../support/users';
import { awayFromStepEdge, codeAt, jsonCodeStep, jsonPasswordStep, signUpWithTotp } from '../support/two-factor';

/** security events are structured, and never carry a secret. */
describe('security events', () => {
  let t: TestApp;
  let lines: string[];

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_IP: '100000/1m', RATE_LIMIT_PER_ACCOUNT: '4/1m' });
  });
  afterAll(() => t.close());

  beforeEach(() => {
    lines = [];
    jest.spyOn(Logger.prototype, 'log').mockImplementation(function (this: Logger, message: unknown) {
      if ((this as unknown as { context?: string }).context === 'Security') lines.push(String(message));
    });
  });
  afterEach(() => jest.restoreAllMocks());

  it('login, failure, reuse, logout and throttling - one JSON event each, with no password, token or hash', async () => {
    const user = await signUp(t.agent(), uniqueUser('events'));
    const wrong = 'definitely-Wrong-9';
    await t.agent().post('/auth/login').send({ username: user.username, password: wrong }).expect(401);
    const tokens = await apiLogin(t.agent(), user);
    const next = await t.agent().post('/auth/refresh').send({ refresh_token: tokens.refresh_token }).expect(200);
    await t.agent().post('/auth/refresh').send({ refresh_token: next.body.refresh_token }).expect(200);
    await t.agent().post('/auth/refresh').send({ refresh_token: tokens.refresh_token }).expect(401);
    const again = await apiLogin(t.agent(), user);
    await t.agent().post('/auth/logout').set('Authorization', `Bearer ${again.access_token}`).expect(204);
    for (let i = 0; i < 3; i++) await t.agent().post('/auth/login').send({ username: user.username, password: wrong });

    const events = lines.map((line) => JSON.parse(line) as { event: string; userId?: string });
    expect(events.map((e) => e.event)).toEqual(
      expect.arrayContaining(['login.failed', 'login.succeeded', 'refresh.reuse_detected', 'session.revoked', 'throttled']),
    );
    expect(events.find((e) => e.event === 'refresh.reuse_detected')).toMatchObject({
      userId: expect.any(String),
      sessionId: expect.any(String),
    });

    const everything = lines.join('\n');
    for (const secret of [user.password, wrong, tokens.access_token, tokens.refresh_token, next.body.refresh_token, again.access_token]) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).not.toMatch(/\$2[aby]\$/);
  });

  it('a two-factor login - the password step logs mfa.required, and login.succeeded comes once, with the code', async () => {
    const { user, secret } = await signUpWithTotp(t);
    await awayFromStepEdge();
    lines = [];
    const events = () => lines.map((line) => JSON.parse(line) as { event: string; reason?: string });

    const step = await jsonPasswordStep(t.agent(), user).expect(401);
    expect(events().map((e) => e.event)).toEqual(['mfa.required']);

    await jsonCodeStep(t.agent(), step.body.mfa_token as string, codeAt(secret)).expect(200);
    expect(events().filter((e) => e.event === 'login.succeeded')).toEqual([expect.objectContaining({ reason: 'second factor' })]);
  });
});
