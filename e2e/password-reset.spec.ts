import { linkIn } from '../test/support/smtp';
import { LoginPage } from './pages/login.page';
import { ProfilePage } from './pages/profile.page';
import { ForgotPage, ResetPage } from './pages/recovery.page';
import { createAccount } from './support/accounts';
import { expect, test } from './support/mail';
import { at } from './support/session';
import { uniqueUser } from './support/users';

/**
 * The whole forgotten-password path as a person walks it: the login page's
 * link, the forgot form, the mail (read from the SMTP server the test runs),
 * the link in it, a new password, and a login with it.
 */
test('forgot the password - read the mail, open its link, choose a new password, log in with it', async ({
  page,
  browser,
  baseURL,
  mailbox,
}) => {
  const user = await createAccount(browser, baseURL, uniqueUser('reset'));
  const newPassword = `${user.password}-renewed`;
  const login = new LoginPage(page);

  await test.step('the login page links to the forgot form, which answers with the same notice for everyone', async () => {
    await login.goto();
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    const forgot = new ForgotPage(page);
    await expect(forgot.heading).toBeVisible();
    const response = await forgot.ask(user.email);
    expect(response.status()).toBe(200);
    await expect(forgot.sentNotice).toBeVisible();
  });

  const mail = await mailbox.waitFor(user.email, /Reset your Latchkey password/);
  const link = linkIn(mail, '/auth/reset');
  expect(link.origin).toBe(new URL(baseURL).origin);

  await test.step('the link opens the reset form; a new password sends me to log in, not logged in', async () => {
    await page.goto(link.toString());
    const reset = new ResetPage(page);
    await expect(reset.heading).toBeVisible();
    const response = await reset.choose(newPassword);
    expect(response.status()).toBe(303);
    await expect(page).toHaveURL(at('/auth/login'));
    await expect(login.heading).toBeVisible();
  });

  await test.step('the old password is refused, the new one logs in', async () => {
    expect((await login.logIn(user.username, user.password)).status()).toBe(401);
    expect((await login.logIn(user.username, newPassword)).status()).toBe(303);
    const profile = new ProfilePage(page);
    await expect(profile.heading).toBeVisible();
    await expect(profile.username).toHaveText(user.username);
  });

  await test.step('the link from the mail is dead now', async () => {
    await page.goto(link.toString());
    await expect(page.getByRole('heading', { name: 'This link does not work' })).toBeVisible();
  });

  await mailbox.waitFor(user.email, /password was changed/);
});
