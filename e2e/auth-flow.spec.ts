import { expect, test } from './fixtures';
import { HomePage } from './pages/home.page';
import { LoginPage } from './pages/login.page';
import { ProfilePage } from './pages/profile.page';
import { SignupPage } from './pages/signup.page';
import { createAccount } from './support/accounts';
import { at, loginFormFor } from './support/session';
import { uniqueUser } from './support/users';

/** The browser flow from sign-up to log-in again. */
function mainFlow() {
  return async ({ page }: { page: import('@playwright/test').Page }) => {
    const user = uniqueUser();
    const signup = new SignupPage(page);
    const login = new LoginPage(page);
    const profile = new ProfilePage(page);
    const home = new HomePage(page);

    await test.step('sign up - lands on the profile showing the username', async () => {
      const response = await signup.signUp(user);
      expect(response.status()).toBe(303);
      await expect(page).toHaveURL(at('/profile'));
      await expect(profile.heading).toBeVisible();
      await expect(profile.username).toHaveText(user.username);
      await expect(profile.email).toHaveText(user.email);
      await expect(profile.roles).toHaveText('user');
      // A <time> that says how long ago, with the exact moment in its datetime attribute.
      await expect(profile.memberSince).toHaveText('just now');
      await expect(profile.memberSince.locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    await test.step('log out from the navigation - back home and logged out', async () => {
      await profile.nav.logOut();
      await expect(page).toHaveURL(at('/'));
      await expect(home.nav.logInLink).toBeVisible();
      await expect(home.nav.logOutButton).toBeHidden();
    });

    await test.step('visit the profile - sent to the log-in form', async () => {
      await profile.goto();
      await expect(page).toHaveURL(loginFormFor('/profile'));
      await expect(login.heading).toBeVisible();
    });

    await test.step('log in - back on the profile', async () => {
      const response = await login.logIn(user.username, user.password);
      expect(response.status()).toBe(303);
      await expect(page).toHaveURL(at('/profile'));
      await expect(profile.username).toHaveText(user.username);
      await expect(profile.nav.logOutButton).toBeVisible();
    });
  };
}

test('sign up, log out, visit the profile, log in - ends back on the profile', mainFlow());

test.describe('without JavaScript', () => {
  // The pages must work without JavaScript (docs/security.md).
  test.use({ javaScriptEnabled: false });
  test('sign up, log out, visit the profile, log in - ends back on the profile', mainFlow());
});

test('open a protected page with a query while logged out, then log in - returns to that exact page', async ({
  page,
  browser,
  baseURL,
}) => {
  const user = await createAccount(browser, baseURL, uniqueUser());
  const login = new LoginPage(page);
  const profile = new ProfilePage(page);

  await profile.goto('/profile?from=bookmark');
  await expect(page).toHaveURL(loginFormFor('/profile?from=bookmark'));

  await login.logIn(user.username, user.password);
  await expect(page).toHaveURL(at('/profile', '?from=bookmark'));
  await expect(profile.username).toHaveText(user.username);
});

test('log in from a link with next=/ - lands on the home page logged in', async ({ page, browser, baseURL }) => {
  const user = await createAccount(browser, baseURL, uniqueUser());
  const login = new LoginPage(page);

  await login.goto('/');
  await login.logIn(user.username, user.password);
  await expect(page).toHaveURL(at('/'));
  await expect(page.getByRole('main')).toContainText(`You are logged in as ${user.username}`);
});

for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example/']) {
  test(`log in with next=${next} - stays on this site and lands on the profile`, async ({ page, browser, baseURL }) => {
    const user = await createAccount(browser, baseURL, uniqueUser());
    const login = new LoginPage(page);

    await page.goto(`/auth/login?next=${encodeURIComponent(next)}`);
    await login.logIn(user.username, user.password);
    await expect(page).toHaveURL((url) => url.origin === new URL(baseURL).origin && url.pathname === '/profile');
    await expect(new ProfilePage(page).username).toHaveText(user.username);
  });
}

test('log in with the email address instead of the username - lands on the profile', async ({ page, browser, baseURL }) => {
  const user = await createAccount(browser, baseURL, uniqueUser());
  const login = new LoginPage(page);
  const profile = new ProfilePage(page);

  await login.goto();
  const response = await login.logIn(user.email, user.password);
  expect(response.status()).toBe(303);
  await expect(page).toHaveURL(at('/profile'));
  await expect(profile.username).toHaveText(user.username);
  await expect(profile.email).toHaveText(user.email);
});

test('log in with the email address in capitals - is the same account', async ({ page, browser, baseURL }) => {
  const user = await createAccount(browser, baseURL, uniqueUser());
  const login = new LoginPage(page);

  await login.goto();
  await login.logIn(user.email.toUpperCase(), user.password);
  await expect(page).toHaveURL(at('/profile'));
  await expect(new ProfilePage(page).username).toHaveText(user.username);
});

test('log in with the username in capitals - is the same account', async ({ page, browser, baseURL }) => {
  const user = await createAccount(browser, baseURL, uniqueUser());
  const login = new LoginPage(page);

  await login.goto();
  await login.logIn(user.username.toUpperCase(), user.password);
  await expect(page).toHaveURL(at('/profile'));
  await expect(new ProfilePage(page).username).toHaveText(user.username);
});
