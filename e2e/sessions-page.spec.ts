import { expect, test } from './fixtures';
import { ConfirmPage } from './pages/confirm.page';
import { LoginPage } from './pages/login.page';
import { ProfilePage } from './pages/profile.page';
import { SessionsPage } from './pages/sessions.page';
import { SignupPage } from './pages/signup.page';
import { uniqueUser } from './support/users';
import { at, logIn, loginFormFor } from './support/session';
import { endTheOtherSession, twoBrowsers } from './support/browsers';

/**
 * the sessions page (/account/sessions), ending
 * a login from another browser, and the profile's live list of logins. These
 * run with the default 5-minute access token, so a refusal here comes from
 * the database check on sensitive pages, not from an expired token; what
 * happens at the next refresh is in session-lifecycle.spec.ts.
 */

test('end a session from a second browser - the first one is refused the sessions page at once, before its access token expires', async ({
  newContext,
}) => {
  // The default 5-minute access token is still valid in `first`; only the
  // database check on sensitive pages can turn it away.
  const { first, second } = await twoBrowsers(newContext);
  const firstSessions = new SessionsPage(first);
  await firstSessions.goto();
  await expect(firstSessions.rows).toHaveCount(2);

  await endTheOtherSession(new SessionsPage(second));

  await firstSessions.goto();
  await expect(first).toHaveURL(loginFormFor('/account/sessions'));
  await expect(new LoginPage(first).heading).toBeVisible();
  await expect(firstSessions.heading).toBeHidden();
});

test('log out everywhere else - only this device is left and the other browser is refused the sessions page', async ({ newContext }) => {
  const { user, first, second } = await twoBrowsers(newContext);
  // A third login, so "everywhere else" is more than one.
  const third = await (await newContext()).newPage();
  await logIn(third, user);
  const sessions = new SessionsPage(second);

  await sessions.goto();
  await expect(sessions.rows).toHaveCount(3);
  await sessions.logOutEverywhereElseLink.click();
  await new ConfirmPage(second).confirmButton('Log out everywhere else').click();
  await expect(second).toHaveURL(at('/account/sessions'));
  await expect(sessions.rows).toHaveCount(1);
  await expect(sessions.currentRow).toHaveCount(1);
  await expect(sessions.logOutEverywhereElseLink).toBeHidden();

  for (const other of [first, third]) {
    await new SessionsPage(other).goto();
    await expect(other).toHaveURL(loginFormFor('/account/sessions'));
  }
});

test('open the profile - the page script lists the live sessions and marks this device', async ({ newContext }) => {
  const { first, second } = await twoBrowsers(newContext);
  const profile = new ProfilePage(second);

  await profile.goto();
  await expect(profile.liveSessions.getByRole('listitem')).toHaveCount(2);
  await expect(profile.liveSessions.getByRole('listitem').filter({ hasText: 'this device' })).toHaveCount(1);
  await expect(profile.liveSessions).not.toContainText('Loading');

  // The other browser sees the same two logins and marks exactly one as its own.
  const firstProfile = new ProfilePage(first);
  await firstProfile.goto();
  await expect(firstProfile.liveSessions.getByRole('listitem')).toHaveCount(2);
  await expect(firstProfile.liveSessions.getByRole('listitem').filter({ hasText: 'this device' })).toHaveCount(1);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('open the profile - no endless "Loading…", a link to the sessions page instead', async ({ page }) => {
    await new SignupPage(page).signUp(uniqueUser());
    const profile = new ProfilePage(page);
    await expect(profile.username).toBeVisible();
    await expect(page.getByRole('main')).not.toContainText('Loading');
    await page.getByRole('link', { name: 'See and manage your sessions' }).click();
    await expect(new SessionsPage(page).rows).toHaveCount(1);
  });
});
