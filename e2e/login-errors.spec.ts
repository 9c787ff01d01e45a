import { expect, test } from './fixtures';
import { LoginPage } from './pages/login.page';
import { ProfilePage } from './pages/profile.page';
import { createAccount } from './support/accounts';
import { uniqueUser } from './support/users';

const GENERIC = /invalid username or password/i;

test('log in with a wrong password - 401 shows one generic message and keeps the username', async ({ page, browser, baseURL }) => {
  const user = await createAccount(browser, baseURL, uniqueUser());
  const login = new LoginPage(page);

  await login.goto();
  const response = await login.logIn(user.username, 'not-the-password');

  expect(response.status()).toBe(401);
  await expect(login.heading).toBeVisible();
  await expect(login.errorSummary).toHaveCount(1);
  await expect(login.errorSummary).toHaveText(GENERIC);
  // Generic means no field is singled out as the wrong one.
  await expect(login.errorSummary.getByRole('link')).toHaveCount(0);
  await expect(login.username).not.toHaveAttribute('aria-invalid', 'true');
  await expect(login.password).not.toHaveAttribute('aria-invalid', 'true');
  await expect(login.username).toHaveValue(user.username);
  await expect(login.password).toHaveValue('');
});

test('log in as an unknown user - shows exactly the message a wrong password gets', async ({ page, browser, baseURL }) => {
  const user = await createAccount(browser, baseURL, uniqueUser());
  const login = new LoginPage(page);

  await login.goto();
  expect((await login.logIn(user.username, 'not-the-password')).status()).toBe(401);
  const wrongPassword = (await login.errorSummary.innerText()).trim();

  const stranger = uniqueUser('nobody').username;
  expect((await login.logIn(stranger, 'not-the-password')).status()).toBe(401);
  await expect(login.errorSummary).toHaveText(wrongPassword);
  await expect(login.errorSummary).toHaveText(GENERIC);
  await expect(login.username).toHaveValue(stranger);
  await expect(login.password).toHaveValue('');
});

test('log in with an unknown email address - shows the same generic message', async ({ page }) => {
  const login = new LoginPage(page);
  const stranger = uniqueUser('nobody').email;

  await login.goto();
  expect((await login.logIn(stranger, 'not-the-password')).status()).toBe(401);
  await expect(login.errorSummary).toHaveText(GENERIC);
  await expect(login.username).toHaveValue(stranger);
});

test('fail a login from a protected page, then log in correctly - still returns to that page', async ({ page, browser, baseURL }) => {
  const user = await createAccount(browser, baseURL, uniqueUser());
  const login = new LoginPage(page);
  const profile = new ProfilePage(page);

  await profile.goto('/profile?from=bookmark');
  await expect(login.heading).toBeVisible();
  expect((await login.logIn(user.username, 'not-the-password')).status()).toBe(401);

  // The re-rendered form keeps `next` and a working CSRF token.
  expect((await login.logIn(user.username, user.password)).status()).toBe(303);
  await expect(page).toHaveURL((url) => url.pathname === '/profile' && url.search === '?from=bookmark');
  await expect(profile.username).toHaveText(user.username);
});
