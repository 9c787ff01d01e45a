import { linkIn } from '../test/support/smtp';
import { ProfilePage } from './pages/profile.page';
import { ConfirmEmailPage } from './pages/recovery.page';
import { SignupPage } from './pages/signup.page';
import { expect, test } from './support/mail';
import { at } from './support/session';
import { uniqueUser } from './support/users';

/** Sign up, see the address unverified, confirm it from the mail, see it verified. */
test('verify the address from the mail - the link shows a button, pressing it verifies, the profile says so', async ({ page, mailbox }) => {
  const user = uniqueUser('verify');
  expect((await new SignupPage(page).signUp(user)).status()).toBe(303);
  const profile = new ProfilePage(page);
  await expect(profile.heading).toBeVisible();
  await expect(page.getByTestId('email-unverified')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send the link again' })).toBeVisible();

  const mail = await mailbox.waitFor(user.email, /Confirm your email address/);
  const link = linkIn(mail, '/auth/verify-email');

  await test.step('opening the link changes nothing by itself', async () => {
    await page.goto(link.toString());
    const confirm = new ConfirmEmailPage(page);
    await expect(confirm.heading).toBeVisible();
    await profile.goto();
    await expect(page.getByTestId('email-unverified')).toBeVisible();
  });

  await test.step('pressing Confirm verifies the address and returns to the profile', async () => {
    await page.goto(link.toString());
    const response = await new ConfirmEmailPage(page).confirm();
    expect(response.status()).toBe(303);
    await expect(page).toHaveURL(at('/profile'));
    await expect(page.getByTestId('email-verified')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Send the link again' })).toHaveCount(0);
  });
});
