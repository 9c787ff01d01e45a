import type { BrowserContext, Cookie, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ProfilePage } from './pages/profile.page';
import { createAccount } from './support/accounts';
import { SHORT_ACCESS_TTL, at, logIn, waitForAccessTokenExpiry } from './support/session';
import { uniqueUser } from './support/users';

/**
 * "Keep me logged in on this device". Ticked, the token
 * cookies are persistent (they carry an expiry, up to the login's absolute
 * expiry); unticked, they are browser-session cookies (`expires: -1` in
 * Playwright), and either kind must survive the rotation at a refresh, which
 * the short access token here brings about.
 */
test.use({ appEnv: SHORT_ACCESS_TTL });

async function tokenCookies(context: BrowserContext): Promise<Cookie[]> {
  const cookies = (await context.cookies()).filter((c) => /access|refresh/.test(c.name));
  expect(cookies.map((c) => c.name).sort(), 'the access and refresh cookies').toEqual([
    expect.stringContaining('access'),
    expect.stringContaining('refresh'),
  ]);
  return cookies;
}

/** Lets the access token expire and opens the profile, which refreshes through the interstitial. */
async function refreshByNavigation(page: Page, username: string): Promise<void> {
  await waitForAccessTokenExpiry(page);
  const profile = new ProfilePage(page);
  await profile.goto();
  await expect(page).toHaveURL(at('/profile'));
  await expect(profile.username).toHaveText(username);
}

test('log in with "Keep me logged in" ticked - the token cookies are persistent, also after a refresh', async ({
  page,
  context,
  browser,
  baseURL,
}) => {
  const user = await createAccount(browser, baseURL, uniqueUser());
  await logIn(page, user, { remember: true });

  const now = Date.now() / 1000;
  for (const cookie of await tokenCookies(context)) {
    expect(cookie.expires, `${cookie.name} expires`).toBeGreaterThan(now);
  }

  await refreshByNavigation(page, user.username);
  for (const cookie of await tokenCookies(context)) {
    expect(cookie.expires, `${cookie.name} expires after the refresh`).toBeGreaterThan(now);
  }
});

test('log in with "Keep me logged in" unticked - the token cookies end with the browser session, also after a refresh', async ({
  page,
  context,
  browser,
  baseURL,
}) => {
  const user = await createAccount(browser, baseURL, uniqueUser());
  await logIn(page, user);

  for (const cookie of await tokenCookies(context)) {
    expect(cookie.expires, `${cookie.name} expires`).toBe(-1);
  }

  await refreshByNavigation(page, user.username);
  for (const cookie of await tokenCookies(context)) {
    expect(cookie.expires, `${cookie.name} expires after the refresh`).toBe(-1);
  }
});
