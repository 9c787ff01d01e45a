/**
 * Cookie tossing: a sibling subdomain plants a second refresh (or access)
 * cookie under our name on a longer Path, which browsers send first. The
 * server must act on neither copy, and clear them. The same attack in
 * Chromium is e2e/cookie-tossing.spec.ts.
 */
import request from 'supertest';
import { AuthCookies } from '../../src/auth/auth-cookies';
import { DUPLICATE_COOKIES_MESSAGE } from '../../src/security/duplicate-cookies';
import { setCookieLines } from '../support/security';
import { startTestApp, TestApp } from '../support/test-app';
import { apiLogin, apiRefresh, clearsCookie, parseSetCookie, signUpWithTokens, uniqueUser } from '../support/users';

describe('cookie tossing', () => {
  let t: TestApp;
  let names: AuthCookies;
  beforeAll(async () => {
    t = await startTestApp();
    names = t.app.get(AuthCookies);
  });
  afterAll(() => t.close());

  /** A victim logged in by the sign-up form, and an attacker's own login (as an API client would hold it). */
  async function victimAndAttacker() {
    const victim = await signUpWithTokens(t.agent(), uniqueUser('victim'));
    const attacker = await apiLogin(t.agent(), await signUpWithTokens(t.agent(), uniqueUser('attacker')).then((l) => l.user));
    return { victim, attacker };
  }

  /** A fresh CSRF cookie and its token, as a page of this site would give the victim's browser. */
  async function csrf() {
    const page = await request(t.app.getHttpServer()).get('/').set('Accept', 'text/html');
    const cookie = setCookieLines(page)
      .find((l) => l.startsWith(`${names.csrfName}=`))!
      .split(';')[0];
    const token = /<meta name="csrf-token" content="([^"]+)">/.exec(page.text)![1];
    return { cookie, token };
  }

  /** Which credential cookies a response deletes, as name@path. */
  function cleared(res: request.Response): string[] {
    return setCookieLines(res)
      .filter((line) => clearsCookie(line))
      .map((line) => {
        const { name, attributes } = parseSetCookie(line);
        return `${name}@${attributes.path}`;
      });
  }

  it("the attacker's refresh cookie planted before the victim's - 400, neither login rotated, and both copies deleted", async () => {
    const { victim, attacker } = await victimAndAttacker();
    const { cookie, token } = await csrf();
    const res = await request(t.app.getHttpServer())
      .post('/auth/refresh')
      .set('Accept', 'application/json')
      .set('X-CSRF-Token', token)
      .set('Cookie', `${names.refreshName}=${attacker.refresh_token}; ${names.refreshName}=${victim.refreshToken}; ${cookie}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ statusCode: 400, message: DUPLICATE_COOKIES_MESSAGE });
    expect(cleared(res)).toEqual(
      expect.arrayContaining([`${names.refreshName}@/auth`, `${names.refreshName}@/auth/refresh`, `${names.accessName}@/`]),
    );
    expect(setCookieLines(res).filter((line) => !clearsCookie(line))).toEqual([]);
    // Neither token was used: both still refresh once.
    expect((await apiRefresh(t.agent(), attacker.refresh_token)).status).toBe(200);
    expect((await apiRefresh(t.agent(), victim.refreshToken)).status).toBe(200);
  });

  it('two refresh cookies on the refresh page (GET) - 400 page, cookies deleted, no interstitial that would refresh', async () => {
    const { victim, attacker } = await victimAndAttacker();
    const res = await request(t.app.getHttpServer())
      .get('/auth/refresh?next=/profile')
      .set('Accept', 'text/html')
      .set('Cookie', `${names.refreshName}=${attacker.refresh_token}; ${names.refreshName}=${victim.refreshToken}`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('two login cookies');
    expect(res.text).not.toContain('refresh-form');
    expect(cleared(res)).toContain(`${names.refreshName}@/auth/refresh`);
  });

  it("the attacker's access cookie planted before the victim's on /profile - 400, the attacker's profile is not shown", async () => {
    const { victim, attacker } = await victimAndAttacker();
    const res = await request(t.app.getHttpServer())
      .get('/profile')
      .set('Accept', 'application/json')
      .set('Cookie', `${names.accessName}=${attacker.access_token}; ${names.accessName}=${victim.accessToken}`);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toContain('attacker_');
    expect(cleared(res)).toEqual(expect.arrayContaining([`${names.accessName}@/`, `${names.accessName}@/profile`]));
  });

  it('two CSRF secret cookies on a form POST - 400', async () => {
    const { victim } = await victimAndAttacker();
    const first = await csrf();
    const second = await csrf();
    const res = await request(t.app.getHttpServer())
      .post('/auth/logout')
      .set('Accept', 'application/json')
      .set('X-CSRF-Token', first.token)
      .set('Cookie', `${first.cookie}; ${second.cookie}; ${names.refreshName}=${victim.refreshToken}`);
    expect(res.status).toBe(400);
    expect((await apiRefresh(t.agent(), victim.refreshToken)).status).toBe(200);
  });

  it('a domain name with subdomains - the copies are also deleted for each parent domain', async () => {
    const { victim, attacker } = await victimAndAttacker();
    const res = await request(t.app.getHttpServer())
      .post('/auth/refresh')
      .set('Host', 'app.auth.example.com')
      .set('Accept', 'application/json')
      .set('Cookie', `${names.refreshName}=${attacker.refresh_token}; ${names.refreshName}=${victim.refreshToken}`);
    expect(res.status).toBe(400);
    const domains = setCookieLines(res)
      .map((line) => parseSetCookie(line))
      .filter((c) => c.name === names.refreshName && c.attributes.path === '/auth/refresh')
      .map((c) => c.attributes.domain ?? 'host-only');
    expect(domains.sort()).toEqual(['app.auth.example.com', 'auth.example.com', 'example.com', 'host-only'].sort());
  });

  it('one refresh cookie (control) - 200 and rotated', async () => {
    const { victim } = await victimAndAttacker();
    const { cookie, token } = await csrf();
    const res = await request(t.app.getHttpServer())
      .post('/auth/refresh')
      .set('Accept', 'application/json')
      .set('X-CSRF-Token', token)
      .set('Cookie', `${names.refreshName}=${victim.refreshToken}; ${cookie}`);
    expect(res.status).toBe(200);
  });

  it('two access cookies beside a valid Bearer header - 200: a request with an Authorization header reads no cookie', async () => {
    const { victim, attacker } = await victimAndAttacker();
    const res = await request(t.app.getHttpServer())
      .get('/profile')
      .set('Accept', 'application/json')
      .set('Authorization', `Bearer ${attacker.access_token}`)
      .set('Cookie', `${names.accessName}=junk; ${names.accessName}=${victim.accessToken}`);
    expect(res.status).toBe(200);
    expect(res.body.username).toMatch(/^attacker_/);
  });
});
