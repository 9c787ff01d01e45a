import { SessionsService } from '../../src/sessions/sessions.service';
import { refreshWithCookie, signUpBrowser, sleep, storedSession } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';
import { apiRefresh, clearsCookie, cookieValue, csrfToken, parseSetCookie, setCookie, submitForm } from '../support/users';

/**
 * staying logged in on page navigation. The basic
 * render / no-cookie redirect / form POST cases are in refresh.spec.ts.
 */
describe('refresh interstitial', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const interstitial = (agent: ReturnType<TestApp['agent']>, next: string) =>
    agent.get(`/auth/refresh?next=${encodeURIComponent(next)}`).set('Accept', 'text/html');
  /** The form's next field, with Handlebars' HTML escaping undone. */
  const formNext = (html: string) => {
    const raw = /<input type="hidden" name="next" value="([^"]*)">/.exec(html)?.[1];
    return raw
      ?.replace(/&#x3D;/g, '=')
      .replace(/&#x27;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  };

  it('GET /auth/refresh?next=/profile - 200 HTML whose form POSTs to /auth/refresh with _csrf and next=/profile, and no token in the page', async () => {
    const { agent, refreshToken, accessToken } = await signUpBrowser(t);
    const res = await interstitial(agent, '/profile');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const form = /<form[^>]*action="\/auth\/refresh"[^>]*>([\s\S]*?)<\/form>/.exec(res.text);
    expect(form?.[0]).toMatch(/method="post"/);
    expect(form?.[1]).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
    expect(formNext(form![1])).toBe('/profile');
    expect(res.text).not.toContain(refreshToken.split('.')[1]);
    expect(res.text).not.toContain(accessToken);
  });

  it('GET /auth/refresh three times - changes nothing: the stored login is identical and the refresh token still works as a first use', async () => {
    const { agent, refreshToken, sessionId } = await signUpBrowser(t);
    const before = await storedSession(t, sessionId);
    for (let i = 0; i < 3; i++) {
      const res = await interstitial(agent, '/profile');
      expect(res.status).toBe(200);
      expect(setCookie(res, 'refresh')).toBeUndefined();
      expect(setCookie(res, 'access')).toBeUndefined();
    }
    expect(await storedSession(t, sessionId)).toEqual(before);
    // Still the login's first token: it rotates, and its child works.
    const first = await apiRefresh(t.agent(), refreshToken);
    expect(first.status).toBe(200);
    expect((await apiRefresh(t.agent(), first.body.refresh_token)).status).toBe(200);
  });

  it.each([
    ['//evil.example/x', '/profile'],
    ['https://evil.example/', '/profile'],
    ['/\\evil.example', '/profile'],
    ['javascript:alert(1)', '/profile'],
    ['/account/sessions?tab=1&x=2', '/account/sessions?tab=1&x=2'],
  ])('GET /auth/refresh?next=%s - the form carries next=%s', async (next, expected) => {
    const { agent } = await signUpBrowser(t);
    const res = await interstitial(agent, next);
    expect(res.status).toBe(200);
    expect(formNext(res.text)).toBe(expected);
  });

  it('GET /auth/refresh?next= with quotes and a script tag - the value stays inside the attribute, no markup injected', async () => {
    const { agent } = await signUpBrowser(t);
    const res = await interstitial(agent, '/profile"><script>alert(1)</script>');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).not.toContain('"><script');
    expect(formNext(res.text)).toMatch(/^\/profile/);
  });

  it("GET /js/refresh.js (the interstitial's script) - 200 JavaScript that submits the refresh form", async () => {
    const res = await t.agent().get('/js/refresh.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.text).toContain("getElementById('refresh-form')");
  });

  it('GET /auth/refresh?next=//evil.example without a refresh cookie - 303 to /auth/login?next=%2Fprofile', async () => {
    const res = await interstitial(t.agent(), '//evil.example');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/auth/login?next=%2Fprofile');
  });

  it('GET /auth/refresh?next=/account/password without a refresh cookie - 303 to /auth/login keeping that next', async () => {
    const res = await interstitial(t.agent(), '/account/password');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/auth/login?next=%2Faccount%2Fpassword');
  });

  it('interstitial form POST with next=/account/sessions - 303 there with new access and refresh cookies, and that page then loads', async () => {
    const { agent, refreshToken } = await signUpBrowser(t);
    const res = await submitForm(agent, '/auth/refresh', { next: '/account/sessions' }, '/auth/refresh?next=%2Faccount%2Fsessions');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/account/sessions');
    expect(cookieValue(res, 'refresh')).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(cookieValue(res, 'refresh')).not.toBe(refreshToken);
    expect(cookieValue(res, 'access')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(parseSetCookie(setCookie(res, 'refresh')!).attributes.path).toBe('/auth');
    const page = await agent.get('/account/sessions').set('Accept', 'text/html');
    expect(page.status).toBe(200);
  });

  it('interstitial form POST with next=//evil.example - 303 to /profile, never off-site', async () => {
    const { agent } = await signUpBrowser(t);
    const res = await submitForm(agent, '/auth/refresh', { next: '//evil.example' }, '/auth/refresh?next=%2Fprofile');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/profile');
  });

  it('interstitial form POST without _csrf - 403 and nothing rotated', async () => {
    const { agent, sessionId } = await signUpBrowser(t);
    const before = await storedSession(t, sessionId);
    const res = await agent.post('/auth/refresh').set('Accept', 'text/html').type('form').send({ next: '/profile' });
    expect(res.status).toBe(403);
    expect(setCookie(res, 'refresh')).toBeUndefined();
    expect(await storedSession(t, sessionId)).toEqual(before);
  });

  it('interstitial form POST with an unknown refresh cookie - 303 to /auth/login keeping next, cookies cleared', async () => {
    const res = await refreshWithCookie(
      t,
      'AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB',
      'html',
      '/account/password',
    );
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/auth/login?next=%2Faccount%2Fpassword');
    expect(clearsCookie(setCookie(res, 'refresh'))).toBe(true);
  });
});

describe('refresh interstitial after the access token expired (ACCESS_TOKEN_TTL 2s)', () => {
  // JWT times are whole seconds, so a 2 s token lives between 1 and 2 s: long
  // enough to use a fresh one at once, and surely dead after EXPIRED.
  const EXPIRED = 2100;
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ ACCESS_TOKEN_TTL: '2s' })));
  afterAll(() => t.close());

  it('GET /profile as HTML with an expired access cookie - 303 to /auth/refresh?next=%2Fprofile, not to the login form', async () => {
    const { agent } = await signUpBrowser(t);
    await sleep(EXPIRED);
    const res = await agent.get('/profile').set('Accept', 'text/html');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/auth/refresh?next=%2Fprofile');
  });

  it('GET /profile as JSON with an expired access cookie - 401 JSON', async () => {
    const { agent } = await signUpBrowser(t);
    await sleep(EXPIRED);
    const res = await agent.get('/profile').set('Accept', 'application/json');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, message: expect.any(String) });
  });

  it('expired access token, then the whole navigation (profile, interstitial, one button press) - back on /profile without a password', async () => {
    const { agent, user } = await signUpBrowser(t);
    await sleep(EXPIRED);
    const first = await agent.get('/profile').set('Accept', 'text/html');
    expect(first.headers.location).toBe('/auth/refresh?next=%2Fprofile');
    const page = await agent.get(first.headers.location).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    const _csrf = /<input type="hidden" name="_csrf" value="([^"]+)">/.exec(page.text)![1];
    const next = /<input type="hidden" name="next" value="([^"]*)">/.exec(page.text)![1];
    const press = await agent.post('/auth/refresh').set('Accept', 'text/html').type('form').send({ _csrf, next });
    expect(press.status).toBe(303);
    expect(press.headers.location).toBe('/profile');
    const profile = await agent.get('/profile').set('Accept', 'text/html');
    expect(profile.status).toBe(200);
    expect(profile.text).toContain(user.username);
  });

  it('GET /account/sessions?x=1 as HTML with an expired access cookie - 303 to the interstitial keeping path and query', async () => {
    const { agent } = await signUpBrowser(t);
    await sleep(EXPIRED);
    const res = await agent.get('/account/sessions?x=1').set('Accept', 'text/html');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/auth/refresh?next=%2Faccount%2Fsessions%3Fx%3D1');
  });

  it('expired access cookie of a login ended elsewhere - profile, interstitial and button press end on /auth/login with cookies cleared', async () => {
    const { agent, sessionId } = await signUpBrowser(t);
    await t.app.get(SessionsService).revoke(sessionId, 'revoked');
    await sleep(EXPIRED);
    const first = await agent.get('/profile').set('Accept', 'text/html');
    expect(first.headers.location).toBe('/auth/refresh?next=%2Fprofile');
    const _csrf = await csrfToken(agent, first.headers.location);
    const press = await agent.post('/auth/refresh').set('Accept', 'text/html').type('form').send({ _csrf, next: '/profile' });
    expect(press.status).toBe(303);
    expect(press.headers.location).toBe('/auth/login?next=%2Fprofile');
    expect(clearsCookie(setCookie(press, 'access'))).toBe(true);
    expect(clearsCookie(setCookie(press, 'refresh'))).toBe(true);
    const again = await agent.get('/profile').set('Accept', 'text/html');
    expect(again.headers.location).toBe('/auth/login?next=%2Fprofile');
  });
});
