import { startTestApp, TestApp } from '../support/test-app';
import { apiRefresh, csrfToken, setCookie, signUp, signUpWithTokens, submitForm, uniqueUser } from '../support/users';

const CSRF_MESSAGE = 'The form has expired or did not come from this site. Reload the page and try again.';

/** The page's <meta name="csrf-token"> and the _csrf value of each of its forms. */
function csrfOnPage(html: string): { meta: string | undefined; forms: (string | undefined)[] } {
  const meta = /<meta name="csrf-token" content="([^"]*)">/.exec(html)?.[1];
  const forms = [...html.matchAll(/<form\b[\s\S]*?<\/form>/g)].map(
    ([form]) => /<input type="hidden" name="_csrf" value="([^"]*)">/.exec(form)?.[1],
  );
  return { meta, forms };
}

describe('CSRF', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  describe('tokens on pages', () => {
    it.each(['/', '/auth/signup', '/auth/login', '/no/such/page'])(
      'GET %s - has a csrf-token meta and a _csrf in every form',
      async (path) => {
        const res = await t.agent().get(path).set('Accept', 'text/html');
        expect(res.status).toBe(path === '/no/such/page' ? 404 : 200);
        expect(res.headers['content-type']).toMatch(/text\/html/);
        const { meta, forms } = csrfOnPage(res.text);
        expect(meta).toMatch(/^[\w-]{20,}$/);
        forms.forEach((value) => expect(value).toBe(meta));
        if (path.startsWith('/auth/')) expect(forms.length).toBeGreaterThan(0);
      },
    );

    it('GET /profile and / when logged in - csrf-token meta, and the log-out form carries the same _csrf', async () => {
      const agent = t.agent();
      await signUp(agent);
      for (const path of ['/profile', '/']) {
        const res = await agent.get(path).set('Accept', 'text/html');
        expect(res.status).toBe(200);
        const { meta, forms } = csrfOnPage(res.text);
        expect(meta).toMatch(/^[\w-]{20,}$/);
        expect(res.text).toContain('action="/auth/logout"');
        expect(forms.length).toBeGreaterThan(0);
        forms.forEach((value) => expect(value).toBe(meta));
      }
    });

    it('GET /auth/refresh with a refresh cookie - the interstitial form carries the _csrf', async () => {
      const agent = t.agent();
      await signUp(agent);
      const res = await agent.get('/auth/refresh?next=%2Fprofile').set('Accept', 'text/html');
      expect(res.status).toBe(200);
      const { meta, forms } = csrfOnPage(res.text);
      expect(meta).toMatch(/^[\w-]{20,}$/);
      expect(forms.length).toBeGreaterThan(0);
      forms.forEach((value) => expect(value).toBe(meta));
    });

    it('sign-up re-rendered after a 422 - still has a valid csrf-token and _csrf', async () => {
      const agent = t.agent();
      const res = await submitForm(agent, '/auth/signup', { ...uniqueUser(), email: 'bad' });
      expect(res.status).toBe(422);
      const { meta, forms } = csrfOnPage(res.text);
      expect(meta).toMatch(/^[\w-]{20,}$/);
      forms.forEach((value) => expect(value).toBe(meta));
      // The re-rendered form's token works for the corrected submission.
      const retry = await agent
        .post('/auth/signup')
        .type('form')
        .set('Accept', 'text/html')
        .send({ ...uniqueUser(), _csrf: forms[forms.length - 1]! });
      expect(retry.status).toBe(303);
    });
  });

  describe('cookie-authenticated form POSTs', () => {
    it('log-out form without _csrf, HTML - 403 error page, and the session is not revoked', async () => {
      const agent = t.agent();
      const { refreshToken } = await signUpWithTokens(agent);
      const res = await agent.post('/auth/logout').set('Accept', 'text/html').type('form').send({});
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain('Error 403');
      expect(res.text).toContain(CSRF_MESSAGE);
      expect(setCookie(res, 'access')).toBeUndefined();
      expect((await apiRefresh(t.agent(), refreshToken)).status).toBe(200);
    });

    it('log-out form without _csrf, JSON - 403 JSON { statusCode, message }', async () => {
      const agent = t.agent();
      await signUp(agent);
      const res = await agent.post('/auth/logout').set('Accept', 'application/json').type('form').send({});
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body).toEqual({ statusCode: 403, message: CSRF_MESSAGE });
    });

    it('log-out form with a made-up _csrf - 403', async () => {
      const agent = t.agent();
      const { refreshToken } = await signUpWithTokens(agent);
      const res = await agent.post('/auth/logout').set('Accept', 'text/html').type('form').send({ _csrf: 'made-up-token' });
      expect(res.status).toBe(403);
      expect((await apiRefresh(t.agent(), refreshToken)).status).toBe(200);
    });

    it('log-out form with a _csrf taken from another browser - 403', async () => {
      const victim = t.agent();
      const { refreshToken } = await signUpWithTokens(victim);
      const attackersToken = await csrfToken(t.agent(), '/');
      const res = await victim.post('/auth/logout').set('Accept', 'text/html').type('form').send({ _csrf: attackersToken });
      expect(res.status).toBe(403);
      expect((await apiRefresh(t.agent(), refreshToken)).status).toBe(200);
    });

    it('log-out JSON POST with the cookie but no token - 403 (JSON content type is no exemption)', async () => {
      const agent = t.agent();
      await signUp(agent);
      const res = await agent.post('/auth/logout').send({});
      expect(res.status).toBe(403);
      expect(res.body.statusCode).toBe(403);
    });

    it('log-out form with a valid _csrf but a cross-site Origin - 403, and the session is not revoked', async () => {
      const agent = t.agent();
      const { refreshToken } = await signUpWithTokens(agent);
      const _csrf = await csrfToken(agent, '/');
      const res = await agent
        .post('/auth/logout')
        .set('Accept', 'text/html')
        .set('Origin', 'https://evil.example')
        .type('form')
        .send({ _csrf });
      expect(res.status).toBe(403);
      expect((await apiRefresh(t.agent(), refreshToken)).status).toBe(200);
    });

    it('a token from before sign-up, used after it - 403 (the CSRF secret is renewed at login)', async () => {
      const agent = t.agent();
      const before = await csrfToken(agent, '/');
      const { res: signup } = await signUpWithTokens(agent);
      expect(setCookie(signup, 'csrf')).toBeDefined();
      const res = await agent.post('/auth/logout').set('Accept', 'text/html').type('form').send({ _csrf: before });
      expect(res.status).toBe(403);
      const after = await csrfToken(agent, '/');
      const ok = await agent.post('/auth/logout').set('Accept', 'text/html').type('form').send({ _csrf: after });
      expect(ok.status).toBe(303);
    });

    it('sign-up form without _csrf - 403 and no account created', async () => {
      const agent = t.agent();
      await csrfToken(agent, '/auth/signup'); // the browser has the CSRF cookie, but the form lacks the field
      const user = uniqueUser();
      const res = await agent.post('/auth/signup').set('Accept', 'text/html').type('form').send(user);
      expect(res.status).toBe(403);
      expect(setCookie(res, 'access')).toBeUndefined();
      const login = await t.agent().post('/auth/login').send({ username: user.username, password: user.password });
      expect(login.status).toBe(401);
    });

    it('form login without _csrf - 403 and no cookies set (no login CSRF)', async () => {
      const user = await signUp(t.agent());
      const agent = t.agent();
      await csrfToken(agent, '/auth/login');
      const res = await agent
        .post('/auth/login')
        .set('Accept', 'text/html')
        .type('form')
        .send({ username: user.username, password: user.password });
      expect(res.status).toBe(403);
      expect(setCookie(res, 'access')).toBeUndefined();
      expect(setCookie(res, 'refresh')).toBeUndefined();
    });
  });

  describe('exemptions', () => {
    it('JSON login from a client with no cookies and no token - 200', async () => {
      const user = await signUp(t.agent());
      const res = await t
        .agent()
        .post('/auth/login')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ username: user.username, password: user.password }));
      expect(res.status).toBe(200);
      expect(res.body.token_type).toBe('Bearer');
    });

    it('log-out POST with a Bearer token and no CSRF token - 204 and that login is revoked', async () => {
      const user = await signUp(t.agent());
      const tokens = await t.agent().post('/auth/login').send({ username: user.username, password: user.password });
      const res = await t.agent().post('/auth/logout').set('Authorization', `Bearer ${tokens.body.access_token}`);
      expect(res.status).toBe(204);
      expect((await apiRefresh(t.agent(), tokens.body.refresh_token)).status).toBe(401);
    });

    it('API refresh with the token in a JSON body and no CSRF token - 200', async () => {
      const { refreshToken } = await signUpWithTokens(t.agent());
      const res = await apiRefresh(t.agent(), refreshToken);
      expect(res.status).toBe(200);
    });
  });
});
