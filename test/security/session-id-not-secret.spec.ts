import request from 'supertest';
import { SecurityEvents } from '../../src/security/security-events';
import { MAX_RETIRED } from '../../src/sessions/refresh-rotation';
import { BrowserLogin, refreshWithCookie, signUpBrowser, storedSession } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';
import { apiRefresh, browserRefresh, csrfToken } from '../support/users';

/**
 * The session id is no secret: it is the `sid` claim of every access token,
 * the first half of the refresh token and the row id on the sessions page. A
 * stranger who knows it must not be able to end that login, neither through
 * logout nor by provoking a reuse alarm with a made-up secret.
 */
describe('a known session id is not enough to end a login', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const forged = (victim: BrowserLogin, fill = 'A') => `${victim.sessionId}.${fill.repeat(43)}`;
  const stillAlive = async (victim: BrowserLogin) => {
    expect((await storedSession(t, victim.sessionId))?.revokedAt).toBeNull();
    expect((await browserRefresh(victim.agent)).status).toBe(200);
  };

  it("JSON logout with a made-up secret and a junk Bearer header - the victim's login stays alive", async () => {
    const victim = await signUpBrowser(t);
    await request(t.app.getHttpServer())
      .post('/auth/logout')
      .set('Authorization', 'Bearer x')
      .set('Accept', 'application/json')
      .send({ refresh_token: forged(victim) });
    await stillAlive(victim);
  });

  it("logout form from the attacker's own browser, with its own CSRF token and the victim's session id - the login stays alive", async () => {
    const victim = await signUpBrowser(t);
    const attacker = t.agent();
    const csrf = await csrfToken(attacker, '/');
    await attacker
      .post('/auth/logout')
      .type('form')
      .send({ _csrf: csrf, refresh_token: forged(victim, 'B') });
    await stillAlive(victim);
  });

  it("API refresh with the victim's session id and a made-up secret - 401, nothing revoked, no reuse event", async () => {
    const victim = await signUpBrowser(t);
    const record = jest.spyOn(t.app.get(SecurityEvents), 'record');
    try {
      const res = await apiRefresh(t.agent(), forged(victim, 'B'));
      expect(res.status).toBe(401);
      expect(record.mock.calls.filter(([event]) => event === 'refresh.reuse_detected')).toEqual([]);
    } finally {
      record.mockRestore();
    }
    await stillAlive(victim);
  });

  it('browser refresh with a made-up secret in a copied cookie - 401, and the victim keeps refreshing', async () => {
    const victim = await signUpBrowser(t);
    expect((await refreshWithCookie(t, forged(victim, 'C'))).status).toBe(401);
    await stillAlive(victim);
  });

  it("API logout with the login's own refresh token and an access token that no longer verifies - 204, and the login is ended", async () => {
    const victim = await signUpBrowser(t);
    const res = await request(t.app.getHttpServer())
      .post('/auth/logout')
      .set('Authorization', 'Bearer expired')
      .set('Accept', 'application/json')
      .send({ refresh_token: victim.refreshToken });
    expect(res.status).toBe(204);
    expect(await storedSession(t, victim.sessionId)).toMatchObject({ revokedReason: 'logout' });
  });

  it('a real token the login retired, replayed - still reuse: 401 and the login revoked', async () => {
    const victim = await signUpBrowser(t);
    const first = await apiRefresh(t.agent(), victim.refreshToken);
    await apiRefresh(t.agent(), first.body.refresh_token);
    expect((await apiRefresh(t.agent(), victim.refreshToken)).status).toBe(401);
    expect(await storedSession(t, victim.sessionId)).toMatchObject({ revokedReason: 'reuse' });
  });

  it('the retired tokens remembered - bounded, however long the login lives', async () => {
    const victim = await signUpBrowser(t);
    let token = victim.refreshToken;
    for (let i = 0; i < MAX_RETIRED + 3; i++) token = (await apiRefresh(t.agent(), token)).body.refresh_token;
    expect((await storedSession(t, victim.sessionId))?.retiredHashes).toHaveLength(MAX_RETIRED);
  });
});
