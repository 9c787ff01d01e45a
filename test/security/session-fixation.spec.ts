/**
 * Attack 9: session fixation. An attacker who can plant cookies in the
 * victim's browser before login (a sibling subdomain, a shared computer)
 * plants their own access, refresh and CSRF-secret cookies. Logging in or
 * signing up replaces all three, so nothing the attacker knows survives.
 */
import request from 'supertest';
import { AuthCookies } from '../../src/auth/auth-cookies';
import { jwtClaims } from '../support/jwt';
import { cookiePair } from '../support/security';
import { startTestApp, TestApp } from '../support/test-app';
import { apiRefresh, metaCsrf, parseSetCookie, setCookie, signUp, signUpWithTokens, TestUser, uniqueUser } from '../support/users';

describe('session fixation', () => {
  let t: TestApp;
  let names: { access: string; refresh: string; csrf: string };
  beforeAll(async () => {
    t = await startTestApp();
    const cookies = t.app.get(AuthCookies);
    names = { access: cookies.accessName, refresh: cookies.refreshName, csrf: cookies.csrfName };
  });
  afterAll(() => t.close());

  /** What an attacker holds: their own logged-in cookies, a CSRF secret cookie, and a token minted from that secret. */
  async function attackerKit() {
    const { accessToken, refreshToken } = await signUpWithTokens(t.agent(), uniqueUser('attacker'));
    const page = await request(t.app.getHttpServer()).get('/auth/login').set('Accept', 'text/html');
    const csrfCookie = cookiePair(page, names.csrf)!;
    return {
      accessToken,
      refreshToken,
      csrfCookie,
      csrfToken: metaCsrf(page.text),
      planted: [`${names.access}=${accessToken}`, `${names.refresh}=${refreshToken}`, csrfCookie].join('; '),
    };
  }

  /** The victim's browser, holding only the planted cookies, loads `formPath` and submits it. */
  async function submitWithPlanted(planted: string, formPath: string, fields: Record<string, string>) {
    const server = t.app.getHttpServer();
    const page = await request(server).get(formPath).set('Cookie', planted).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    // The planted secret is still the one in use: no new CSRF cookie yet.
    expect(setCookie(page, names.csrf)).toBeUndefined();
    return request(server)
      .post(formPath)
      .set('Cookie', planted)
      .set('Accept', 'text/html')
      .type('form')
      .send({ ...fields, _csrf: metaCsrf(page.text) });
  }

  function expectAllReplaced(res: request.Response, kit: Awaited<ReturnType<typeof attackerKit>>, victimName: string) {
    expect(res.status).toBe(303);
    const access = setCookie(res, names.access);
    const refresh = setCookie(res, names.refresh);
    const csrf = setCookie(res, names.csrf);
    expect(access).toBeDefined();
    expect(refresh).toBeDefined();
    expect(csrf).toBeDefined();
    const newAccess = parseSetCookie(access!).value;
    expect(newAccess).not.toBe(kit.accessToken);
    expect(jwtClaims(newAccess).username).toBe(victimName);
    expect(parseSetCookie(refresh!).value).not.toBe(kit.refreshToken);
    expect(csrf!.split(';')[0]).not.toBe(kit.csrfCookie);
    return { access: access!.split(';')[0], refresh: refresh!.split(';')[0], csrf: csrf!.split(';')[0] };
  }

  it("form login with planted access, refresh and CSRF-secret cookies - all three are replaced, the new access token is the victim's", async () => {
    const victim = await signUp(t.agent(), uniqueUser('victim'));
    const kit = await attackerKit();
    const res = await submitWithPlanted(kit.planted, '/auth/login', { username: victim.username, password: victim.password });
    expectAllReplaced(res, kit, victim.username);
  });

  it('sign-up with planted access, refresh and CSRF-secret cookies - all three are replaced', async () => {
    const victim: TestUser = uniqueUser('victim');
    const kit = await attackerKit();
    const res = await submitWithPlanted(kit.planted, '/auth/signup', { ...victim });
    expectAllReplaced(res, kit, victim.username);
  });

  it('after a login over planted cookies - a CSRF token minted from the planted secret is refused (403)', async () => {
    const victim = await signUp(t.agent(), uniqueUser('victim'));
    const kit = await attackerKit();
    const res = await submitWithPlanted(kit.planted, '/auth/login', { username: victim.username, password: victim.password });
    const fresh = expectAllReplaced(res, kit, victim.username);
    const jar = [fresh.access, fresh.refresh, fresh.csrf].join('; ');
    const forged = await request(t.app.getHttpServer())
      .post('/account/sessions/revoke-others')
      .set('Cookie', jar)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: kit.csrfToken });
    expect(forged.status).toBe(403);
    // Control: a token from the victim's own page after login works.
    const page = await request(t.app.getHttpServer()).get('/account/sessions').set('Cookie', jar).set('Accept', 'text/html');
    const ok = await request(t.app.getHttpServer())
      .post('/account/sessions/revoke-others')
      .set('Cookie', jar)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: metaCsrf(page.text) });
    expect(ok.status).toBe(303);
  });

  it("after a login over planted cookies - the planted refresh token never becomes the victim's: the login it belonged to is ended", async () => {
    const victim = await signUp(t.agent(), uniqueUser('victim'));
    const kit = await attackerKit();
    await submitWithPlanted(kit.planted, '/auth/login', { username: victim.username, password: victim.password });
    // The browser's previous login (the attacker's, planted) is replaced and
    // so ended on the server (test/security/relogin.spec.ts).
    const refreshed = await apiRefresh(t.agent(), kit.refreshToken);
    expect(refreshed.status).toBe(401);
    expect(refreshed.body.access_token).toBeUndefined();
  });
});
