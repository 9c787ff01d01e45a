import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { AdminUsersPage } from './pages/admin-users.page';
import { ConfirmPage } from './pages/confirm.page';
import { HomePage } from './pages/home.page';
import { LoginPage } from './pages/login.page';
import { PasswordPage } from './pages/password.page';
import { ProfilePage } from './pages/profile.page';
import { RefreshPage } from './pages/refresh.page';
import { SessionsPage } from './pages/sessions.page';
import { SignupPage } from './pages/signup.page';
import { notice } from './pages/notice';
import { createAccount } from './support/accounts';
import { promoteToAdmin } from './support/admin';
import { audit, blockPageScripts } from './support/audit';
import { logIn } from './support/session';
import { uniqueUser, type TestUser } from './support/users';

/**
 * Every page in every state the suite can reach goes through audit(): axe-core
 * in both colour schemes (any violation fails), no sideways scrolling at
 * 390, 320 and 640 px (1280 px at 200% zoom), and nothing spilling out of its
 * card, with the longest values the app accepts.
 */

/** As long as the rules allow, and without a single break opportunity. */
function longUser(): TestUser {
  const id = uniqueUser().username.slice(-10);
  return {
    username: `${id}_${'w'.repeat(21)}`,
    email: `${id}${'e'.repeat(50)}@${'subdomain'.repeat(6)}.example.com`,
    password: `pw-${id}-Secret!`,
  };
}
/** Not a user agent ua-parser knows, so the sessions page shows its first 60 characters. */
const LONG_USER_AGENT = `LatchkeyAuditAgent/${'x'.repeat(120)}`;

async function signedUp(page: Page, user: TestUser): Promise<void> {
  expect((await new SignupPage(page).signUp(user)).status()).toBe(303);
  await expect(new ProfilePage(page).username).toHaveText(user.username);
}

// Each state is checked many times over (two themes, four widths, a Tab walk), on a shared machine.
test.describe.configure({ timeout: 120_000 });

test('the pages a visitor sees - pass axe-core in both themes and fit a phone', async ({ page }) => {
  await new HomePage(page).goto();
  await audit(page, 'home, logged out');

  const login = new LoginPage(page);
  await login.goto();
  await audit(page, 'log-in form');
  expect((await login.logIn('', '')).status()).toBe(400);
  await audit(page, 'log-in form, both fields empty');
  expect((await login.logIn(uniqueUser().username, 'not-the-password')).status()).toBe(401);
  await audit(page, 'log-in form, wrong password');

  const signup = new SignupPage(page);
  await signup.goto();
  await audit(page, 'sign-up form');
  expect((await signup.signUp({ username: 'x', email: 'not-an-email', password: 'short' })).status()).toBe(422);
  await audit(page, 'sign-up form with errors');
  await signup.password.fill('correct horse battery staple');
  await expect(page.locator('#password-strength')).toBeVisible();
  await page.getByRole('button', { name: 'Show password' }).click();
  await audit(page, 'sign-up form, strength meter shown and password visible');

  await page.goto('/auth/forgot');
  await audit(page, 'forgotten password form');

  await page.goto('/no-such-page');
  await audit(page, '404 page');
});

test('the pages of a logged-in user with long values - pass axe-core in both themes and fit a phone', async ({ page, newContext }) => {
  const user = longUser();
  await signedUp(page, user);
  // A second login from a browser with an unusual, unbroken user agent.
  const other = await (await newContext({ userAgent: LONG_USER_AGENT })).newPage();
  await logIn(other, user);

  await audit(page, 'profile, welcome notice after sign-up');
  await new HomePage(page).goto();
  await audit(page, 'home, logged in');
  const profile = new ProfilePage(page);
  await profile.goto();
  await expect(profile.liveSessions.getByRole('listitem')).toHaveCount(2);
  await audit(page, 'profile');

  const sessions = new SessionsPage(page);
  await sessions.goto();
  await expect(sessions.rows).toHaveCount(2);
  await audit(page, 'sessions');
  await sessions.logOutEverywhereElseLink.click();
  await audit(page, 'confirm: log out everywhere else');
  await new ConfirmPage(page).confirmButton('Log out everywhere else').click();
  await expect(notice(page)).toBeFocused();
  await audit(page, 'sessions, with a notice');

  const password = new PasswordPage(page);
  await password.goto();
  await audit(page, 'password form');
  expect((await password.change('not-the-password', 'short')).status()).toBe(422);
  await audit(page, 'password form with errors');

  await page.goto('/account/email');
  await audit(page, 'change email form');
  await page.goto('/account/delete');
  await audit(page, 'delete account form');

  await page.goto('/admin/users');
  await audit(page, '403 page');

  await new ProfilePage(page).nav.logOut();
  await expect(notice(page)).toBeFocused();
  await audit(page, 'home, logged-out notice');
});

test('the admin pages with long values - pass axe-core in both themes and fit a phone', async ({ page, appDbUri, browser, baseURL }) => {
  test.slow();
  const admin = longUser();
  const other = await createAccount(browser, baseURL, longUser());
  await signedUp(page, admin);
  await promoteToAdmin(appDbUri, admin.username);
  // A new login carries the role; the log-in page sends a logged-in visitor straight on, so log out first.
  await new ProfilePage(page).nav.logOut();
  await logIn(page, admin);

  const users = new AdminUsersPage(page);
  await users.goto();
  await users.search(admin.username);
  await expect(users.rows).toHaveCount(1);
  await audit(page, 'admin users, own row');
  await users.search(other.username);
  await users.disableLink(other.username).click();
  await audit(page, 'confirm: disable a user');
  await new ConfirmPage(page).confirmButton(`Disable ${other.username}`).click();
  await expect(notice(page)).toBeFocused();
  await audit(page, 'admin users, with a notice');
});

test('the refresh interstitial, as seen without JavaScript - passes axe-core in both themes and fits a phone', async ({
  page,
  context,
}) => {
  await signedUp(page, uniqueUser());
  await blockPageScripts(context);
  const access = (await context.cookies()).find((c) => c.name.includes('access'))!;
  await context.addCookies([{ ...access, value: `${access.value.split('.').slice(0, 2).join('.')}.AAAA` }]);
  await new ProfilePage(page).goto();
  await expect(new RefreshPage(page).heading).toBeVisible();
  await audit(page, 'refresh interstitial');
});
