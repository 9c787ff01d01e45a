import type { Browser, Page } from '@playwright/test';
import { expect, test, type NewContext } from './fixtures';
import { AdminUsersPage } from './pages/admin-users.page';
import { ConfirmPage } from './pages/confirm.page';
import { notice } from './pages/notice';
import { ErrorPage } from './pages/error.page';
import { LoginPage } from './pages/login.page';
import { ProfilePage } from './pages/profile.page';
import { SessionsPage } from './pages/sessions.page';
import { SignupPage } from './pages/signup.page';
import { createAccount } from './support/accounts';
import { promoteToAdmin } from './support/admin';
import { at, logIn, loginFormFor } from './support/session';
import { uniqueUser, type TestUser } from './support/users';

/**
 * roles. Admin-only pages refuse users with 403; an
 * admin, made with the promote command and logged in again, manages users.
 */

const GENERIC = /invalid username or password/i;

/** Signs up a user, promotes them with the command, and logs them in again in a browser of their own. */
async function adminBrowser(fixtures: {
  browser: Browser;
  baseURL: string;
  appDbUri: string;
  newContext: NewContext;
}): Promise<{ admin: TestUser; page: Page }> {
  // A separate sign-up, a command-line process and a log-in before the test proper starts.
  test.slow();
  const admin = await createAccount(fixtures.browser, fixtures.baseURL, uniqueUser('admin'));
  await promoteToAdmin(fixtures.appDbUri, admin.username);
  const page = await (await fixtures.newContext()).newPage();
  await logIn(page, admin);
  return { admin, page };
}

test('open the admin page as a user - shows the 403 page and no Admin link', async ({ page }) => {
  const user = uniqueUser();
  const profile = new ProfilePage(page);
  await new SignupPage(page).signUp(user);
  await expect(profile.username).toHaveText(user.username);
  await expect(profile.nav.adminLink).toBeHidden();

  const response = await page.goto('/admin/users');
  expect(response?.status()).toBe(403);
  const error = new ErrorPage(page);
  await expect(error.statusLine(403)).toBeVisible();
  await expect(error.heading).toHaveText('Forbidden');
  await expect(new AdminUsersPage(page).rows).toHaveCount(0);
  // Still logged in: a 403 is not a log-out.
  await expect(profile.nav.logOutButton).toBeVisible();

  // A page script asking for JSON gets a JSON 403 too.
  const json = await page.request.get('/admin/users', { headers: { Accept: 'application/json' } });
  expect(json.status()).toBe(403);
  expect(await json.json()).toMatchObject({ statusCode: 403 });
});

test('post an admin action as a user, with a valid CSRF token - 403 and nothing changes', async ({ page, newContext }) => {
  const user = uniqueUser();
  await new SignupPage(page).signUp(user);
  await expect(new ProfilePage(page).username).toHaveText(user.username);
  const { id } = (await (await page.request.get('/profile', { headers: { Accept: 'application/json' } })).json()) as {
    id: string;
  };
  const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content');

  // Disabling themselves is as good a target as any: it would lock them out.
  const response = await page.request.post(`/admin/users/${id}/disable`, {
    form: { _csrf: csrf ?? '', returnTo: '/admin/users' },
    headers: { Accept: 'text/html' },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(403);

  await new SessionsPage(page).goto();
  await expect(page).toHaveURL(at('/account/sessions'));
  // Still able to log in, from another browser (this one, logged in, would be sent straight on).
  const again = new LoginPage(await (await newContext()).newPage());
  await again.goto();
  expect((await again.logIn(user.username, user.password)).status()).toBe(303);
});

test('promote a user and log in again - the Admin link leads to the users table', async ({ browser, baseURL, appDbUri, newContext }) => {
  const { admin, page } = await adminBrowser({ browser, baseURL, appDbUri, newContext });
  const profile = new ProfilePage(page);
  const users = new AdminUsersPage(page);

  await expect(profile.roles).toContainText('admin');
  await profile.nav.adminLink.click();
  await expect(page).toHaveURL(at('/admin/users'));
  await expect(users.heading).toBeVisible();
  await expect(users.row(admin.username)).toHaveCount(1);
  await expect(users.row(admin.username)).toContainText(admin.email);
  await expect(users.status(admin.username)).toHaveText('Active');
});

test('search the users as an admin - lists only the matching users', async ({ browser, baseURL, appDbUri, newContext }) => {
  // Four browsers sign up before anything is checked; on a loaded 2-core CI machine that alone came near 30 s.
  test.slow();
  const tag = uniqueUser('t').username.replace('_', '');
  const matching = [uniqueUser(`${tag}a`), uniqueUser(`${tag}b`)];
  const other = uniqueUser('other');
  await Promise.all([...matching, other].map((user) => createAccount(browser, baseURL, user)));
  const { page } = await adminBrowser({ browser, baseURL, appDbUri, newContext });
  const users = new AdminUsersPage(page);

  await users.goto();
  await users.search(tag);
  await expect(page).toHaveURL((url) => url.pathname === '/admin/users' && url.searchParams.get('q') === tag);
  await expect(users.rows).toHaveCount(2);
  for (const user of matching) await expect(users.row(user.username)).toHaveCount(1);
  await expect(users.row(other.username)).toHaveCount(0);
  await expect(users.searchBox).toHaveValue(tag);

  // By email too, and a search with regex characters matches them literally.
  await users.search(other.email);
  await expect(users.rows).toHaveCount(1);
  await expect(users.row(other.username)).toHaveCount(1);
  await users.search(`${tag}.*`);
  await expect(users.rows).toHaveCount(0);
});

test('disable a user as an admin - their open login ends and they cannot log in; enable them - they can again', async ({
  browser,
  baseURL,
  appDbUri,
  newContext,
}) => {
  const user = await createAccount(browser, baseURL, uniqueUser());
  const userPage = await (await newContext()).newPage();
  await logIn(userPage, user);
  const { page } = await adminBrowser({ browser, baseURL, appDbUri, newContext });
  const users = new AdminUsersPage(page);

  await users.goto();
  await users.search(user.username);
  const disabled = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/disable'));
  await users.disableLink(user.username).click();
  // It asks first; the confirmation's button says what it does.
  const confirm = new ConfirmPage(page);
  await expect(confirm.heading).toHaveText(`Disable ${user.username}?`);
  await confirm.confirmButton(`Disable ${user.username}`).click();
  expect((await disabled).status(), 'POST /admin/users/:id/disable').toBe(303);
  // Back on the same search, told what happened, with focus on the notice.
  await expect(page).toHaveURL((url) => url.pathname === '/admin/users' && url.searchParams.get('q') === user.username);
  await expect(notice(page, `${user.username} was disabled`)).toBeFocused();
  await expect(users.status(user.username)).toHaveText('Disabled');
  await expect(users.enableButton(user.username)).toBeVisible();

  await test.step('the user - their open browser is sent to log in, and logging in fails with the generic error', async () => {
    await new SessionsPage(userPage).goto();
    await expect(userPage).toHaveURL(loginFormFor('/account/sessions'));
    const login = new LoginPage(userPage);
    expect((await login.logIn(user.username, user.password)).status()).toBe(401);
    await expect(login.errorSummary).toHaveText(GENERIC);
  });

  await users.enableButton(user.username).click();
  await expect(notice(page, `${user.username} was enabled`)).toBeFocused();
  await expect(users.status(user.username)).toHaveText('Active');
  await expect(users.disableLink(user.username)).toBeVisible();

  await test.step('the user - logs in again', async () => {
    const login = new LoginPage(userPage);
    expect((await login.logIn(user.username, user.password)).status()).toBe(303);
    await expect(userPage).toHaveURL(at('/account/sessions'));
    await expect(new SessionsPage(userPage).heading).toBeVisible();
  });
});

test("the admin's own row - offers no Disable, since an admin cannot disable themselves", async ({
  browser,
  baseURL,
  appDbUri,
  newContext,
}) => {
  const other = await createAccount(browser, baseURL, uniqueUser());
  const { admin, page } = await adminBrowser({ browser, baseURL, appDbUri, newContext });
  const users = new AdminUsersPage(page);

  await users.goto();
  await expect(users.row(admin.username)).toHaveCount(1);
  await expect(users.disableLink(admin.username)).toHaveCount(0);
  await expect(users.endSessionsLink(admin.username)).toBeVisible();
  await expect(users.disableLink(other.username)).toBeVisible();
});

test("end a user's sessions as an admin - asks first; cancel changes nothing, confirm logs them out with a notice", async ({
  browser,
  baseURL,
  appDbUri,
  newContext,
}) => {
  const user = await createAccount(browser, baseURL, uniqueUser());
  const userPage = await (await newContext()).newPage();
  await logIn(userPage, user);
  const { page } = await adminBrowser({ browser, baseURL, appDbUri, newContext });
  const users = new AdminUsersPage(page);
  const confirm = new ConfirmPage(page);

  await users.goto();
  await users.search(user.username);
  await users.endSessionsLink(user.username).click();
  await expect(confirm.heading).toHaveText(`End all of ${user.username}’s sessions?`);
  await confirm.cancelLink.click();
  await expect(page).toHaveURL((url) => url.pathname === '/admin/users' && url.searchParams.get('q') === user.username);
  await new SessionsPage(userPage).goto();
  await expect(userPage).toHaveURL(at('/account/sessions'));

  await users.endSessionsLink(user.username).click();
  await confirm.confirmButton('End all sessions').click();
  await expect(notice(page, `All of ${user.username}’s sessions were ended`)).toBeFocused();
  await new SessionsPage(userPage).goto();
  await expect(userPage).toHaveURL(loginFormFor('/account/sessions'));
});
