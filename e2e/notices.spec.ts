import { expect, test } from './fixtures';
import { ConfirmPage } from './pages/confirm.page';
import { HomePage } from './pages/home.page';
import { LoginPage } from './pages/login.page';
import { notice } from './pages/notice';
import { ProfilePage } from './pages/profile.page';
import { SessionsPage } from './pages/sessions.page';
import { SignupPage } from './pages/signup.page';
import { twoBrowsers } from './support/browsers';
import { at, logIn, loginFormFor } from './support/session';
import { uniqueUser } from './support/users';

/**
 * After every action the page says what happened, in a role="status" region
 * that takes focus (so a keyboard or screen-reader user starts from it), once;
 * destructive actions ask first, on a page that needs no JavaScript.
 */

test('sign up - the profile welcomes the new user, with focus on the notice', async ({ page }) => {
  const user = uniqueUser();
  await new SignupPage(page).signUp(user);
  await expect(page).toHaveURL(at('/profile'));
  await expect(notice(page, `Welcome, ${user.username}`)).toBeFocused();

  // Once: a reload shows the profile without it.
  await page.reload();
  await expect(new ProfilePage(page).username).toHaveText(user.username);
  await expect(notice(page, 'Welcome')).toHaveCount(0);
});

test('log out - the home page says so, with focus on the notice', async ({ page }) => {
  await new SignupPage(page).signUp(uniqueUser());
  const profile = new ProfilePage(page);
  await profile.nav.logOut();
  await expect(page).toHaveURL(at('/'));
  await expect(notice(page, 'You are logged out.')).toBeFocused();
  await expect(new HomePage(page).signUpLink).toBeVisible();
});

test('end another session - the sessions page says so, with focus on the notice', async ({ newContext }) => {
  const { second } = await twoBrowsers(newContext);
  const sessions = new SessionsPage(second);
  await sessions.goto();
  await sessions.endSessionButton(sessions.otherRows).click();
  await expect(notice(second, 'That session was ended.')).toBeFocused();
  await expect(sessions.rows).toHaveCount(1);
});

test('end this session from the list - the log-in form says you are logged out', async ({ page }) => {
  await new SignupPage(page).signUp(uniqueUser());
  const sessions = new SessionsPage(page);
  await sessions.goto();
  await sessions.currentRow.getByRole('button', { name: /^Log out/ }).click();
  await expect(page).toHaveURL(loginFormFor('/account/sessions'));
  await expect(notice(page, 'You are logged out.')).toBeFocused();
});

test('log out everywhere else - asks first; cancel changes nothing, confirm ends the others with a notice', async ({ newContext }) => {
  const { first, second } = await twoBrowsers(newContext);
  const sessions = new SessionsPage(second);
  const confirm = new ConfirmPage(second);

  await sessions.goto();
  await sessions.logOutEverywhereElseLink.click();
  await expect(confirm.heading).toHaveText('Log out everywhere else?');
  await confirm.cancelLink.click();
  await expect(second).toHaveURL(at('/account/sessions'));
  await expect(sessions.rows).toHaveCount(2);

  await sessions.logOutEverywhereElseLink.click();
  await confirm.confirmButton('Log out everywhere else').click();
  await expect(second).toHaveURL(at('/account/sessions'));
  await expect(notice(second, 'Every other session was logged out.')).toBeFocused();
  await expect(sessions.rows).toHaveCount(1);
  await new SessionsPage(first).goto();
  await expect(first).toHaveURL(loginFormFor('/account/sessions'));
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('log out everywhere else - the confirmation page and its notice work', async ({ newContext }) => {
    const user = uniqueUser();
    const first = await (await newContext({ javaScriptEnabled: false })).newPage();
    await new SignupPage(first).signUp(user);
    const second = await (await newContext({ javaScriptEnabled: false })).newPage();
    await logIn(second, user);
    const sessions = new SessionsPage(second);

    await sessions.goto();
    await sessions.logOutEverywhereElseLink.click();
    await new ConfirmPage(second).confirmButton('Log out everywhere else').click();
    await expect(second).toHaveURL(at('/account/sessions'));
    await expect(notice(second, 'Every other session was logged out.')).toBeVisible();
    await expect(sessions.rows).toHaveCount(1);
  });
});

test('open the log-in page while logged in - goes straight on to next', async ({ page }) => {
  await new SignupPage(page).signUp(uniqueUser());
  await new LoginPage(page).goto('/account/sessions');
  await expect(page).toHaveURL(at('/account/sessions'));
  await expect(new SessionsPage(page).heading).toBeVisible();
});
