import { expect, test } from './fixtures';
import { LoginPage } from './pages/login.page';
import { PasswordPage } from './pages/password.page';
import { ProfilePage } from './pages/profile.page';
import { SessionsPage } from './pages/sessions.page';
import { createAccount } from './support/accounts';
import { twoBrowsers } from './support/browsers';
import { at, logIn, loginFormFor } from './support/session';
import { uniqueUser } from './support/users';

/**
 * changing the password (/account/password) ends every
 * other login (ASVS 7.4.3). With the default 5-minute access token, the other
 * browser's token is still unexpired here, so its refusal comes from the
 * database check on sensitive pages; the next-refresh case is in
 * session-lifecycle.spec.ts.
 */

const GENERIC = /invalid username or password/i;

test('change the password - the other browser is refused the sessions page at once, this one stays logged in, and only the new password logs in', async ({
  newContext,
}) => {
  const { user, first, second } = await twoBrowsers(newContext);
  const password = new PasswordPage(second);
  const newPassword = `${user.password}-new`;

  await password.nav.passwordLink.click();
  await expect(password.heading).toBeVisible();
  const response = await password.change(user.password, newPassword);
  expect(response.status()).toBe(303);
  await expect(password.changedNotice).toBeVisible();

  await test.step('the other browser - sent to the log-in form from the sessions page', async () => {
    await new SessionsPage(first).goto();
    await expect(first).toHaveURL(loginFormFor('/account/sessions'));
    await expect(new LoginPage(first).heading).toBeVisible();
  });

  await test.step('the changing browser - still on its sessions page, as the only login', async () => {
    const sessions = new SessionsPage(second);
    await sessions.goto();
    await expect(second).toHaveURL(at('/account/sessions'));
    await expect(sessions.rows).toHaveCount(1);
    await expect(sessions.currentRow).toHaveCount(1);
  });

  await test.step('log in with the old password - the generic error', async () => {
    const login = new LoginPage(await (await newContext()).newPage());
    await login.goto();
    expect((await login.logIn(user.username, user.password)).status()).toBe(401);
    await expect(login.errorSummary).toHaveText(GENERIC);
  });

  await test.step('log in with the new password - lands on the profile', async () => {
    const page = await (await newContext()).newPage();
    await logIn(page, { ...user, password: newPassword });
    await expect(new ProfilePage(page).username).toHaveText(user.username);
  });
});

test('change the password with a wrong current password - 401 re-renders the form and nothing changes', async ({
  page,
  browser,
  baseURL,
  newContext,
}) => {
  const user = await createAccount(browser, baseURL, uniqueUser());
  await logIn(page, user);
  const other = await (await newContext()).newPage();
  await logIn(other, user);
  const password = new PasswordPage(page);

  await password.goto();
  const response = await password.change('not-the-password', `${user.password}-new`);
  expect(response.status()).toBe(401);
  await expect(password.heading).toBeVisible();
  await expect(password.errorSummary).toBeVisible();
  await expect(password.changedNotice).toBeHidden();
  await expect(password.currentPassword).toHaveValue('');

  // The other login survives, and the old password still works.
  await new SessionsPage(other).goto();
  await expect(other).toHaveURL(at('/account/sessions'));
  await logIn(await (await newContext()).newPage(), user);
});
