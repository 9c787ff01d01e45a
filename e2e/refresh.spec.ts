import type { BrowserContext } from '@playwright/test';
import { expect, test } from './fixtures';
import { LoginPage } from './pages/login.page';
import { ProfilePage } from './pages/profile.page';
import { RefreshPage } from './pages/refresh.page';
import { SignupPage } from './pages/signup.page';
import { SiteNav } from './pages/site-nav';
import { uniqueUser } from './support/users';

/**
 * docs/http.md, "Account, sessions and admin": a browser whose access token the
 * server no longer accepts, but which still holds a valid refresh token, goes
 * through the /auth/refresh interstitial and on to the page it asked for.
 *
 * Instead of waiting for a short ACCESS_TOKEN_TTL to run out (a sleep), the
 * test spoils the access token's signature: the server treats an expired and
 * a forged token alike, and the cookie still says "this browser was logged in".
 */
async function spoilAccessToken(context: BrowserContext): Promise<void> {
  const access = (await context.cookies()).find((c) => c.name.includes('access'));
  expect(access, 'access cookie').toBeDefined();
  const [header, payload] = access!.value.split('.');
  await context.addCookies([{ ...access!, value: `${header}.${payload}.AAAA` }]);
}

const at =
  (path: string, search = '') =>
  (url: URL) =>
    url.pathname === path && url.search === search;

test('open the profile with a stale access token - the refresh page renews the session and returns there', async ({ page, context }) => {
  const user = uniqueUser();
  const profile = new ProfilePage(page);
  await new SignupPage(page).signUp(user);
  await expect(profile.username).toHaveText(user.username);
  const before = (await context.cookies()).find((c) => c.name.includes('refresh'))!.value;

  await spoilAccessToken(context);
  const interstitial = page.waitForRequest((r) => new URL(r.url()).pathname === '/auth/refresh' && r.method() === 'GET');
  await profile.goto('/profile?from=refresh');

  expect(new URL((await interstitial).url()).searchParams.get('next')).toBe('/profile?from=refresh');
  await expect(page).toHaveURL(at('/profile', '?from=refresh'));
  await expect(profile.username).toHaveText(user.username);
  const after = (await context.cookies()).find((c) => c.name.includes('refresh'))!.value;
  expect(after, 'the refresh token is rotated').not.toBe(before);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('open the profile with a stale access token - one press of Continue renews the session', async ({ page, context }) => {
    const user = uniqueUser();
    const profile = new ProfilePage(page);
    const refresh = new RefreshPage(page);
    await new SignupPage(page).signUp(user);
    await expect(profile.username).toHaveText(user.username);

    await spoilAccessToken(context);
    await profile.goto();
    await expect(page).toHaveURL((url) => url.pathname === '/auth/refresh' && url.searchParams.get('next') === '/profile');
    await expect(refresh.heading).toBeVisible();
    // Logged in, though the token expired: the nav offers neither "Log in" nor the account links.
    await expect(new SiteNav(page).logInLink).toHaveCount(0);
    await expect(new SiteNav(page).profileLink).toHaveCount(0);

    await refresh.continue();
    await expect(page).toHaveURL(at('/profile'));
    await expect(profile.username).toHaveText(user.username);
  });
});

test('open the profile with a stale access token and no refresh token - ends on the log-in form', async ({ page, context }) => {
  const user = uniqueUser();
  const profile = new ProfilePage(page);
  const login = new LoginPage(page);
  await new SignupPage(page).signUp(user);
  await expect(profile.username).toHaveText(user.username);

  await spoilAccessToken(context);
  await context.clearCookies({ name: /refresh/ });
  await profile.goto();

  await expect(page).toHaveURL((url) => url.pathname === '/auth/login' && url.searchParams.get('next') === '/profile');
  await expect(login.heading).toBeVisible();
  await login.logIn(user.username, user.password);
  await expect(page).toHaveURL(at('/profile'));
});
