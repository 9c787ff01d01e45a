import type { Page, Response } from '@playwright/test';
import { expect, test } from './fixtures';
import { LoginPage } from './pages/login.page';
import { notice } from './pages/notice';
import { PasswordPage } from './pages/password.page';
import { RefreshPage } from './pages/refresh.page';
import { SessionsPage } from './pages/sessions.page';
import { SignupPage } from './pages/signup.page';
import { twoBrowsers } from './support/browsers';
import { SHORT_ACCESS_TTL, at, waitForAccessTokenExpiry } from './support/session';
import { uniqueUser } from './support/users';

/**
 * A form sent after the access token expired (docs/architecture.md). With
 * JavaScript the page renews the login before sending, and the action simply
 * happens. Without, the browser goes through the refresh interstitial and
 * comes back to the form with a notice and its non-secret input; the first
 * press did nothing, so nothing happens twice.
 * Real expiry, with a 2-second access token.
 */
test.use({ appEnv: SHORT_ACCESS_TTL });

/** Every POST the page sends to `path`, with the status it got back. */
function postsTo(page: Page, path: string | RegExp): { status: number }[] {
  const seen: { status: number }[] = [];
  page.on('response', (response: Response) => {
    const pathname = new URL(response.url()).pathname;
    if (response.request().method() !== 'POST' || !(typeof path === 'string' ? pathname === path : path.test(pathname))) return;
    seen.push({ status: response.status() });
  });
  return seen;
}

test('change the password after the access token expired - renewed first, changed once, no error page', async ({ page, newContext }) => {
  const user = uniqueUser();
  await new SignupPage(page).signUp(user);
  const password = new PasswordPage(page);
  await password.goto();
  const changes = postsTo(page, '/account/password');
  const refreshes = postsTo(page, '/auth/refresh');

  await waitForAccessTokenExpiry(page);
  const response = await password.change(user.password, `${user.password}-new`);

  expect(response.status()).toBe(303);
  await expect(password.changedNotice).toBeFocused();
  expect(changes).toEqual([{ status: 303 }]);
  expect(refreshes).toEqual([{ status: 200 }]);
  // The new password is the one that works now.
  const login = new LoginPage(await (await newContext()).newPage());
  await login.goto();
  expect((await login.logIn(user.username, `${user.password}-new`)).status()).toBe(303);
});

test('end another session after the access token expired - renewed first, ended once', async ({ newContext }) => {
  const { second } = await twoBrowsers(newContext);
  const sessions = new SessionsPage(second);
  await sessions.goto();
  await expect(sessions.rows).toHaveCount(2);
  const revokes = postsTo(second, /^\/account\/sessions\/[^/]+\/revoke$/);

  await waitForAccessTokenExpiry(second);
  await sessions.endSessionButton(sessions.otherRows).click();

  await expect(notice(second, 'That session was ended.')).toBeFocused();
  await expect(sessions.rows).toHaveCount(1);
  expect(revokes).toEqual([{ status: 303 }]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('change the password after the access token expired - Continue on the interstitial brings the form back, nothing changed', async ({
    page,
  }) => {
    const user = uniqueUser();
    await new SignupPage(page).signUp(user);
    const password = new PasswordPage(page);
    await password.goto();

    await waitForAccessTokenExpiry(page);
    const response = await password.change(user.password, `${user.password}-new`);

    expect(response.status(), 'the expired POST is not acted on').toBe(303);
    const refresh = new RefreshPage(page);
    await expect(refresh.heading).toBeVisible();
    await expect(page).toHaveURL((url) => url.pathname === '/auth/refresh' && url.searchParams.get('next') === '/account/password');
    await refresh.continue();

    await expect(page).toHaveURL(at('/account/password'));
    await expect(notice(page, 'Your login had expired, so nothing was saved.')).toBeVisible();
    // Passwords are never kept.
    await expect(password.currentPassword).toHaveValue('');
    await expect(password.newPassword).toHaveValue('');
    // Nothing was done: the old password still works.
    const login = await page.request.post('/auth/login', { data: { username: user.username, password: user.password } });
    expect(login.status()).toBe(200);
  });

  test('end another session after the access token expired - the sessions page comes back with both sessions and a notice', async ({
    newContext,
  }) => {
    const user = uniqueUser();
    const first = await (await newContext({ javaScriptEnabled: false })).newPage();
    await new SignupPage(first).signUp(user);
    const second = await (await newContext({ javaScriptEnabled: false })).newPage();
    await new LoginPage(second).goto();
    await new LoginPage(second).logIn(user.username, user.password);
    const sessions = new SessionsPage(second);
    await sessions.goto();
    const revokes = postsTo(second, /^\/account\/sessions\/[^/]+\/revoke$/);

    await waitForAccessTokenExpiry(second);
    await sessions.endSessionButton(sessions.otherRows).click();
    await new RefreshPage(second).continue();

    await expect(second).toHaveURL(at('/account/sessions'));
    await expect(notice(second, 'Your login had expired, so nothing was saved.')).toBeVisible();
    // The press reached the server once and was not acted on: both logins are still there.
    await expect(sessions.rows).toHaveCount(2);
    expect(revokes.map((r) => r.status)).toEqual([303]);
  });
});

test('send a sign-up form whose CSRF token went stale (a log-in in another tab) - the form comes back with the typed input', async ({
  context,
}) => {
  const someone = uniqueUser();
  const stale = await context.newPage();
  const signup = new SignupPage(stale);
  await signup.goto();

  // Another tab of the same browser logs in, which replaces the CSRF secret.
  const other = await context.newPage();
  await new SignupPage(other).signUp(someone);

  const attempt = uniqueUser();
  await signup.fill(attempt);
  const response = await signup.submit();

  expect(response.status(), 'still the 403 of docs/http.md').toBe(403);
  await expect(stale).toHaveURL(at('/auth/signup'));
  await expect(notice(stale, 'This form had expired, so nothing was saved.')).toBeVisible();
  await expect(signup.username).toHaveValue(attempt.username);
  await expect(signup.email).toHaveValue(attempt.email);
  await expect(signup.password).toHaveValue('');
  // With a fresh token it goes through.
  await signup.password.fill(attempt.password);
  expect((await signup.submit()).status()).toBe(303);
});
