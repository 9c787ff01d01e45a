import type { BrowserContext, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { LoginPage } from './pages/login.page';
import { ProfilePage } from './pages/profile.page';
import { SignupPage } from './pages/signup.page';
import { createAccount } from './support/accounts';
import { uniqueUser } from './support/users';

/**
 * docs/http.md, "Cookies": JavaScript never sees a token. No token in HTML, in
 * a JS-readable cookie or in a URL. The tokens are read from the browser's
 * cookie jar (which sees HttpOnly cookies) and then looked for everywhere a
 * script or a page could find them.
 */

interface Seen {
  urls: string[];
  bodies: string[];
  locations: string[];
  /** Bodies are read asynchronously; wait for these before looking at `bodies`. */
  pending: Promise<unknown>[];
}

/** Records every URL the page requests and every HTML body and redirect it receives. */
function watch(page: Page): Seen {
  const seen: Seen = { urls: [], bodies: [], locations: [], pending: [] };
  page.on('request', (request) => seen.urls.push(request.url()));
  page.on('response', (response) => {
    const location = response.headers()['location'];
    if (location) seen.locations.push(location);
    if ((response.headers()['content-type'] ?? '').includes('text/html')) {
      // A body the browser has already dropped cannot be read any more; the
      // page checks below look at what is on screen in any case.
      seen.pending.push(
        response.text().then(
          (body) => seen.bodies.push(body),
          () => undefined,
        ),
      );
    }
  });
  return seen;
}

async function tokenCookies(context: BrowserContext) {
  const cookies = await context.cookies();
  const access = cookies.find((c) => c.name.includes('access'));
  const refresh = cookies.find((c) => c.name.includes('refresh'));
  const csrf = cookies.find((c) => c.name.includes('csrf'));
  expect(access, 'access cookie').toBeDefined();
  expect(refresh, 'refresh cookie').toBeDefined();
  expect(csrf, 'csrf cookie').toBeDefined();
  return { access: access!, refresh: refresh!, csrf: csrf! };
}

/** Checks the page, as it is now, for the tokens: in script-visible storage, its HTML and its URL. */
async function expectNoTokenVisibleTo(page: Page, tokens: string[]): Promise<void> {
  const scriptView = await page.evaluate(() => ({
    cookie: document.cookie,
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
  }));
  expect(scriptView.cookie).not.toMatch(/access|refresh|csrf/i);
  const html = await page.content();
  for (const token of tokens) {
    expect(scriptView.cookie).not.toContain(token);
    expect(scriptView.local).not.toContain(token);
    expect(scriptView.session).not.toContain(token);
    expect(html).not.toContain(token);
    expect(page.url()).not.toContain(token);
  }
}

async function expectNotSeen(seen: Seen, tokens: string[]): Promise<void> {
  await Promise.all(seen.pending);
  expect(seen.bodies.length, 'HTML responses read').toBeGreaterThan(0);
  for (const token of tokens) {
    for (const url of [...seen.urls, ...seen.locations]) expect(url).not.toContain(token);
    for (const body of seen.bodies) expect(body).not.toContain(token);
  }
}

test('log in - the tokens are HttpOnly cookies that no script, page or URL can see', async ({ page, context, browser, baseURL }) => {
  const user = await createAccount(browser, baseURL, uniqueUser());
  const seen = watch(page);
  const login = new LoginPage(page);
  const profile = new ProfilePage(page);

  await login.goto();
  await login.logIn(user.username, user.password);
  await expect(profile.username).toHaveText(user.username);

  const { access, refresh, csrf } = await tokenCookies(context);
  expect(access).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
  expect(refresh).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/auth' });
  expect(csrf.httpOnly).toBe(true);
  const tokens = [access.value, refresh.value];

  await expectNoTokenVisibleTo(page, tokens);
  // The refresh cookie is only sent to /auth, so look from there too (the
  // sign-up form: the log-in form sends a logged-in visitor straight on).
  await page.goto('/auth/signup');
  await expect(new SignupPage(page).heading).toBeVisible();
  await expectNoTokenVisibleTo(page, tokens);
  await page.goto('/');
  await expectNoTokenVisibleTo(page, tokens);

  await expectNotSeen(seen, tokens);
});

test('sign up - the new session is just as invisible to scripts, pages and URLs', async ({ page, context }) => {
  const user = uniqueUser();
  const seen = watch(page);
  const profile = new ProfilePage(page);

  await new SignupPage(page).signUp(user);
  await expect(profile.username).toHaveText(user.username);

  const { access, refresh } = await tokenCookies(context);
  expect(access.httpOnly).toBe(true);
  expect(refresh.httpOnly).toBe(true);
  const tokens = [access.value, refresh.value];

  await expectNoTokenVisibleTo(page, tokens);
  await page.goto('/auth/signup');
  await expectNoTokenVisibleTo(page, tokens);

  await expectNotSeen(seen, tokens);
});

test('log out - the token cookies are gone from the browser', async ({ page, context }) => {
  const user = uniqueUser();
  const profile = new ProfilePage(page);
  await new SignupPage(page).signUp(user);
  await expect(profile.username).toHaveText(user.username);

  await profile.nav.logOut();
  await expect(profile.nav.logInLink).toBeVisible();

  const names = (await context.cookies()).map((c) => c.name);
  expect(names.filter((name) => /access|refresh/i.test(name))).toEqual([]);
});
