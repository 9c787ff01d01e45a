/**
 * Attack 8: markup injection, and the headers that contain it. What people
 * type is shown escaped on every page; every HTML page carries a strict CSP
 * (scripts from self only, no inline script, no framing), nosniff and a
 * Referrer-Policy; personal pages are never cached; HSTS only in production.
 */
import request from 'supertest';
import { cookiePair, parseCsp, setCookieLines, signUpAdmin } from '../support/security';
import { productionEnv, startTestApp, TestApp } from '../support/test-app';
import { csrfToken, metaCsrf, parseSetCookie, signUp, submitForm, uniqueUser } from '../support/users';

const SCRIPT = '<script>alert(1)</script>';
const ESCAPED_SCRIPT = '&lt;script&gt;alert(1)&lt;/script&gt;';

/** No executable markup from user input: neither the raw payload nor any of its tell-tale pieces. */
function expectNoRawPayload(html: string, payload: string) {
  expect(html).not.toContain(payload);
  expect(html).not.toMatch(/<script>alert|<img src=x|onerror=/i);
}

/** Every <script> loads a file (CSP forbids inline script), and no element carries an inline event handler. */
function expectNoInlineScript(html: string) {
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) expect(tag).toMatch(/\ssrc="\/[^"]+"/);
  expect(html).not.toMatch(/<script\b[^>]*>[^<\s]/i);
  expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/href="javascript:/i);
}

function expectSecurityHeaders(res: request.Response) {
  const csp = parseCsp(res.headers['content-security-policy']);
  expect(csp['script-src']).toEqual(["'self'"]);
  expect(csp['default-src']).toEqual(["'self'"]);
  expect(csp['frame-ancestors']).toEqual(["'none'"]);
  expect(csp['object-src']).toEqual(["'none'"]);
  expect(csp['base-uri']).toEqual(["'none'"]);
  const all = Object.values(csp).flat();
  expect(all).not.toContain("'unsafe-inline'");
  expect(all).not.toContain("'unsafe-eval'");
  expect(all).not.toContain('*');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin']).toContain(res.headers['referrer-policy']);
}

describe('escaping', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('sign-up with the username "<script>alert(1)</script>" - 422 (ASCII rule) and the re-rendered form shows it escaped', async () => {
    const res = await submitForm(t.agent(), '/auth/signup', { ...uniqueUser('xss'), username: SCRIPT });
    expect(res.status).toBe(422);
    expect(res.text).toContain(`value="${ESCAPED_SCRIPT}"`);
    expectNoRawPayload(res.text, SCRIPT);
  });

  it('sign-up with a username that closes the attribute (x"><img src=x onerror=alert(1)>) - 422 and the value stays inside its attribute', async () => {
    const payload = 'x"><img src=x onerror=alert(1)>';
    const res = await submitForm(t.agent(), '/auth/signup', { ...uniqueUser('xss'), username: payload });
    expect(res.status).toBe(422);
    expect(res.text).toContain('value="x&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;"');
    expectNoRawPayload(res.text, payload);
  });

  it('failed form login with the username "\\"><script>alert(1)</script>" - 401 and the form shows it escaped', async () => {
    const payload = `">${SCRIPT}`;
    const res = await submitForm(t.agent(), '/auth/login', { username: payload, password: 'Wrong-password-1' });
    expect(res.status).toBe(401);
    expect(res.text).toContain(`value="&quot;&gt;${ESCAPED_SCRIPT}"`);
    expectNoRawPayload(res.text, payload);
  });

  describe('an account whose email is "<script>alert(1)</script>"@example.com', () => {
    const user = { ...uniqueUser('xss'), email: `"${SCRIPT}"@example.com` };
    const escapedEmail = `&quot;${ESCAPED_SCRIPT}&quot;@example.com`;
    let browser: ReturnType<TestApp['agent']>;

    beforeAll(async () => {
      browser = t.agent();
      const res = await submitForm(browser, '/auth/signup', user);
      expect(res.status).toBe(303);
    });

    it('GET /profile (HTML) - shows the email escaped', async () => {
      const res = await browser.get('/profile').set('Accept', 'text/html');
      expect(res.status).toBe(200);
      expect(res.text).toContain(`<dd>${escapedEmail}</dd>`);
      expectNoRawPayload(res.text, SCRIPT);
    });

    it('GET /profile (JSON) - the raw email, as JSON with nosniff, so no browser renders it as HTML', async () => {
      const res = await browser.get('/profile').set('Accept', 'application/json');
      expect(res.body.email).toBe(user.email);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    });

    it('sign-up with the same email and a new username - 409 and the form shows the email escaped', async () => {
      const res = await submitForm(t.agent(), '/auth/signup', { ...uniqueUser('xss'), email: user.email });
      expect(res.status).toBe(409);
      expect(res.text).toContain(`value="${escapedEmail}"`);
      expectNoRawPayload(res.text, SCRIPT);
    });

    it('GET /admin/users - the admin list shows the email escaped', async () => {
      const admin = t.agent();
      await signUpAdmin(t, admin);
      const res = await admin.get(`/admin/users?q=${encodeURIComponent(user.username)}`).set('Accept', 'text/html');
      expect(res.status).toBe(200);
      expect(res.text).toContain(`<td data-label="Email" class="wrap-anywhere">${escapedEmail}</td>`);
      expectNoRawPayload(res.text, SCRIPT);
    });
  });

  it('sign-up with an email holding "><img src=x onerror=alert(1)> in quotes - 303, and the profile page shows it escaped', async () => {
    const user = { ...uniqueUser('xss'), email: '"><img src=x onerror=alert(1)>"@example.com' };
    const browser = t.agent();
    expect((await submitForm(browser, '/auth/signup', user)).status).toBe(303);
    const res = await browser.get('/profile').set('Accept', 'text/html');
    expect(res.text).toContain('<dd>&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;&quot;@example.com</dd>');
    expectNoRawPayload(res.text, user.email);
  });

  it('GET /admin/users?q=<script>… with quotes - the search box shows the query escaped', async () => {
    const admin = t.agent();
    await signUpAdmin(t, admin);
    const q = `"'${SCRIPT}`;
    const res = await admin.get(`/admin/users?q=${encodeURIComponent(q)}`).set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.text).toContain(`value="&quot;&#x27;${ESCAPED_SCRIPT}"`);
    expectNoRawPayload(res.text, q);
  });

  it('GET /account/sessions after a login with the User-Agent "<script>alert(1)</script>" - the device shows escaped', async () => {
    const user = await signUp(t.agent(), uniqueUser('xss'));
    const browser = t.agent();
    const _csrf = await csrfToken(browser);
    const login = await browser
      .post('/auth/login')
      .set('User-Agent', SCRIPT)
      .set('Accept', 'text/html')
      .type('form')
      .send({ username: user.username, password: user.password, _csrf });
    expect(login.status).toBe(303);
    const res = await browser.get('/account/sessions').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.text).toContain(ESCAPED_SCRIPT);
    expectNoRawPayload(res.text, SCRIPT);
  });
});

describe('security headers', () => {
  let t: TestApp;
  let user: ReturnType<typeof uniqueUser>;
  let browser: ReturnType<TestApp['agent']>;
  let admin: ReturnType<TestApp['agent']>;

  beforeAll(async () => {
    t = await startTestApp();
    browser = t.agent();
    user = await signUp(browser, uniqueUser('headers'));
    admin = t.agent();
    await signUpAdmin(t, admin);
  });
  afterAll(() => t.close());

  const PUBLIC_PAGES: Array<[string, number]> = [
    ['/', 200],
    ['/auth/login', 200],
    ['/auth/signup', 200],
    ['/auth/login?next=%2Fprofile', 200],
    ['/no/such/page', 404],
  ];
  const PERSONAL_PAGES = ['/', '/profile', '/account/sessions', '/account/password', '/auth/refresh?next=%2Fprofile'];

  it('the login page loads the WebAuthn script from a URL that names no library and no version, and it is served', async () => {
    const page = await t.agent().get('/auth/login').set('Accept', 'text/html');
    const sources = [...page.text.matchAll(/<script\b[^>]*\ssrc="([^"]+)"/gi)].map((m) => m[1]);
    expect(sources).toContain('/vendor/webauthn.js');
    for (const src of sources) expect(src).not.toMatch(/simplewebauthn|\d+\.\d+\.\d+/i);
    const script = await t.agent().get('/vendor/webauthn.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.text).toContain('startAuthentication');
  });

  it.each(PUBLIC_PAGES)(
    'GET %s logged out (HTML) - %i with strict CSP, nosniff, Referrer-Policy, no inline script, no HSTS',
    async (path, status) => {
      const res = await t.agent().get(path).set('Accept', 'text/html');
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expectSecurityHeaders(res);
      expectNoInlineScript(res.text);
      expect(res.headers['strict-transport-security']).toBeUndefined();
    },
  );

  it.each(PERSONAL_PAGES)(
    'GET %s logged in (HTML) - 200 with strict CSP, nosniff, Referrer-Policy, Cache-Control no-store, no inline script',
    async (path) => {
      const res = await browser.get(path).set('Accept', 'text/html');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expectSecurityHeaders(res);
      expectNoInlineScript(res.text);
      expect(res.headers['cache-control']).toMatch(/\bno-store\b/);
    },
  );

  it('GET /admin/users as an admin (HTML) - strict CSP, no-store, no inline script', async () => {
    const res = await admin.get('/admin/users').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expectSecurityHeaders(res);
    expectNoInlineScript(res.text);
    expect(res.headers['cache-control']).toMatch(/\bno-store\b/);
  });

  it('GET /admin/users as a user (HTML) - the 403 error page has the same headers', async () => {
    const res = await browser.get('/admin/users').set('Accept', 'text/html');
    expect(res.status).toBe(403);
    expectSecurityHeaders(res);
    expectNoInlineScript(res.text);
  });

  it('failed form login - the 401 page has the same headers and no-store', async () => {
    const res = await submitForm(t.agent(), '/auth/login', { username: user.username, password: 'Wrong-password-1' });
    expect(res.status).toBe(401);
    expectSecurityHeaders(res);
    expectNoInlineScript(res.text);
    expect(res.headers['cache-control']).toMatch(/\bno-store\b/);
  });

  it.each(['/profile', '/account/sessions'])('GET %s logged in (JSON) - Cache-Control no-store and nosniff', async (path) => {
    const res = await browser.get(path).set('Accept', 'application/json');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toMatch(/\bno-store\b/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('JSON login - the token response is Cache-Control no-store', async () => {
    const res = await t.agent().post('/auth/login').send({ username: user.username, password: user.password });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toMatch(/\bno-store\b/);
  });

  it('a page script (/js/api.js) - served as JavaScript with nosniff from this origin', async () => {
    const res = await t.agent().get('/js/api.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('security headers and cookies in production', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp(productionEnv())));
  afterAll(() => t.close());

  it.each(['/', '/auth/login', '/no/such/page'])(
    'GET %s - HSTS for at least a year with includeSubDomains, and the strict CSP',
    async (path) => {
      const res = await request(t.app.getHttpServer()).get(path).set('Accept', 'text/html');
      const hsts = res.headers['strict-transport-security'];
      expect(hsts).toMatch(/max-age=(\d+)/);
      expect(Number(/max-age=(\d+)/.exec(hsts)![1])).toBeGreaterThanOrEqual(31_536_000);
      expect(hsts).toMatch(/includeSubDomains/i);
      expectSecurityHeaders(res);
      expect(parseCsp(res.headers['content-security-policy'])).toHaveProperty('upgrade-insecure-requests');
    },
  );

  it('JSON 401 from /profile - HSTS too', async () => {
    const res = await request(t.app.getHttpServer()).get('/profile').set('Accept', 'application/json');
    expect(res.status).toBe(401);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });

  it('form login - every cookie it sets is Secure and HttpOnly, the access cookie is __Host- with Path=/ and no Domain', async () => {
    const server = t.app.getHttpServer();
    const user = uniqueUser('prod');
    // Created directly: Secure cookies are not sent back over plain HTTP by a cookie jar, so the test carries them by hand.
    const page = await request(server).get('/auth/signup').set('Accept', 'text/html');
    const csrfCookie = cookiePair(page, 'csrf')!;
    const signup = await request(server)
      .post('/auth/signup')
      .set('Cookie', csrfCookie)
      .set('Accept', 'text/html')
      .type('form')
      .send({ ...user, _csrf: metaCsrf(page.text) });
    expect(signup.status).toBe(303);

    const loginPage = await request(server).get('/auth/login').set('Accept', 'text/html');
    const res = await request(server)
      .post('/auth/login')
      .set('Cookie', cookiePair(loginPage, 'csrf')!)
      .set('Accept', 'text/html')
      .type('form')
      .send({ username: user.username, password: user.password, _csrf: metaCsrf(loginPage.text) });
    expect(res.status).toBe(303);
    const cookies = setCookieLines(res).map(parseSetCookie);
    expect(cookies.map((c) => c.name).sort()).toEqual(
      ['__Host-lk_access', '__Host-lk_csrf', '__Host-lk_device', '__Secure-lk_refresh'].sort(),
    );
    for (const cookie of cookies) expect(cookie.attributes).toMatchObject({ secure: true, httponly: true });
    const access = cookies.find((c) => c.name.includes('access'))!;
    expect(access.name.startsWith('__Host-')).toBe(true);
    expect(access.attributes.path).toBe('/');
    expect(access.attributes.domain).toBeUndefined();
    const device = cookies.find((c) => c.name.includes('device'))!;
    expect(device.attributes).toMatchObject({ path: '/', samesite: 'Strict' });
    expect(device.attributes.domain).toBeUndefined();
  });
});
