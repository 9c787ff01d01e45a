/**
 * Attack 7: open redirect through `next=` (and the admin's `returnTo`).
 * Anything a browser would take to another origin goes to /profile; what
 * stays is a plain local path that cannot be read as protocol-relative.
 */
import { UsersService } from '../../src/users/users.service';
import { signUpAdmin } from '../support/security';
import { startTestApp, TestApp } from '../support/test-app';
import { csrfToken, signUp, submitForm, TestUser, uniqueUser } from '../support/users';

/** Values a browser would follow off-site, or to a script, if they were echoed into Location. */
const HOSTILE: Array<[string, string]> = [
  ['an absolute https URL', 'https://evil.example'],
  ['an absolute http URL with a path', 'http://evil.example/profile'],
  ['a protocol-relative URL', '//evil.example'],
  ['three slashes', '///evil.example'],
  ['slash backslash', '/\\evil.example'],
  ['backslash slash', '\\/evil.example'],
  ['two backslashes', '\\\\evil.example'],
  ['javascript:', 'javascript:alert(1)'],
  ['javascript: in mixed case', 'JaVaScRiPt:alert(1)'],
  ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
  ['an encoded protocol-relative URL', '%2F%2Fevil.example'],
  ['dot segments that normalise to //', '/.//evil.example'],
  ['parent segments that normalise to //', '/../..//evil.example'],
  ['a tab between the slashes', '/\t/evil.example'],
  ['a newline between the slashes', '/\n/evil.example'],
  ['CR LF between the slashes', '/\r\n/evil.example'],
  ['a tab before a backslash', '/\t\\evil.example'],
  ['a leading tab', '\t//evil.example'],
  ['a leading space', ' //evil.example'],
  ['a scheme without slashes', 'https:evil.example'],
  ['credentials before a host', '//evil.example@latchkey.test'],
];

/** Odd but local: a browser resolves these to a path on this site. */
const ENCODED_LOCAL = ['/%2F%2Fevil.example', '/%5C%5Cevil.example', '/%2F%5Cevil.example', '/%09/evil.example', '/%0D%0A/evil.example'];

/** A Location that can only mean this site: a path, not protocol-relative, nothing a browser strips or treats as a slash. */
function expectLocal(location: string) {
  expect(location).toMatch(/^\/(?![/\\])/);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this test hunts for
  expect(location).not.toMatch(/[\u0000-\u0020\\]/);
  expect(new URL(location, 'http://latchkey.test').origin).toBe('http://latchkey.test');
}

const hiddenNext = (html: string) => /<input type="hidden" name="next" value="([^"]*)">/.exec(html)?.[1];

describe('open redirect', () => {
  let t: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    user = await signUp(t.agent(), uniqueUser('redirect'));
  });
  afterAll(() => t.close());

  const formLogin = (next: string) => submitForm(t.agent(), '/auth/login', { username: user.username, password: user.password, next });

  describe('form login with next=', () => {
    it.each(HOSTILE)('%s (%j) - 303 to /profile', async (_label, next) => {
      const res = await formLogin(next);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/profile');
    });

    it.each(ENCODED_LOCAL)('%j - 303 to a local path that cannot be protocol-relative', async (next) => {
      const res = await formLogin(next);
      expect(res.status).toBe(303);
      expectLocal(res.headers.location);
    });

    it('a local path with query and fragment - 303 to exactly that path (control)', async () => {
      const res = await formLogin('/account/sessions?tab=1#current');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/account/sessions?tab=1#current');
    });
  });

  describe('GET /auth/login?next=', () => {
    it.each(HOSTILE)('%s (%j) - the form carries next=/profile', async (_label, next) => {
      const res = await t
        .agent()
        .get(`/auth/login?next=${encodeURIComponent(next)}`)
        .set('Accept', 'text/html');
      expect(res.status).toBe(200);
      expect(hiddenNext(res.text)).toBe('/profile');
    });
  });

  describe('refresh', () => {
    it.each(HOSTILE.slice(0, 8))(
      'GET /auth/refresh?next= %s (%j) without a refresh cookie - 303 to the login form with next=/profile',
      async (_label, next) => {
        const res = await t
          .agent()
          .get(`/auth/refresh?next=${encodeURIComponent(next)}`)
          .set('Accept', 'text/html');
        expect(res.status).toBe(303);
        expect(res.headers.location).toBe('/auth/login?next=%2Fprofile');
      },
    );

    it.each(HOSTILE.slice(0, 8))('interstitial POST /auth/refresh with next= %s (%j) - 303 to /profile', async (_label, next) => {
      const browser = t.agent();
      await signUp(browser, uniqueUser('refresh'));
      const _csrf = await csrfToken(browser, '/auth/refresh?next=%2Fprofile');
      const res = await browser.post('/auth/refresh').set('Accept', 'text/html').type('form').send({ _csrf, next });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/profile');
    });
  });

  describe('admin returnTo', () => {
    it.each([['//evil.example'], ['https://evil.example/admin/users'], ['/\\evil.example/admin/users'], ['/profile']])(
      'POST /admin/users/:id/revoke-sessions with returnTo=%j - 303 to /admin/users',
      async (returnTo) => {
        const admin = t.agent();
        await signUpAdmin(t, admin);
        const target = (await t.app.get(UsersService).findByUsername(user.username))!;
        const _csrf = await csrfToken(admin, '/admin/users');
        const res = await admin
          .post(`/admin/users/${target.id}/revoke-sessions`)
          .set('Accept', 'text/html')
          .type('form')
          .send({ _csrf, returnTo });
        expect(res.status).toBe(303);
        expect(res.headers.location).toBe('/admin/users');
      },
    );
  });
});
