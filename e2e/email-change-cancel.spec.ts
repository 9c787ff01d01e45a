import { linkIn } from '../test/support/smtp';
import { notice } from './pages/notice';
import { CancelEmailChangePage, ChangeEmailPage, ConfirmEmailPage } from './pages/recovery.page';
import { SignupPage } from './pages/signup.page';
import { audit } from './support/audit';
import { expect, test } from './support/mail';
import { at, logIn } from './support/session';
import { uniqueUser } from './support/users';

/**
 * Someone who knows the password asks, from a login of their own, to move the
 * address to their mailbox. The owner, with no login at hand, cancels from the
 * notice in a browser, and the thief's confirmation link is dead after it.
 */
test('a pending address change cancelled from the notice - no login, a button, on to a new password; the change link is dead', async ({
  page,
  browser,
  baseURL,
  mailbox,
}) => {
  const owner = uniqueUser('owner');
  const thiefEmail = uniqueUser('thief').email;
  const thiefContext = await browser.newContext({ baseURL });
  try {
    await test.step('the thief logs in with the password and asks for the change', async () => {
      const thief = await thiefContext.newPage();
      expect((await new SignupPage(thief).signUp(owner)).status()).toBe(303);
      const form = new ChangeEmailPage(thief);
      await form.goto();
      expect((await form.request(thiefEmail, owner.password)).status()).toBe(303);
      await expect(thief.getByRole('status').filter({ hasText: 'cancels the change' })).toBeVisible();
    });

    const notified = await mailbox.waitFor(owner.email, /asked to change the email address/);
    const confirmLink = linkIn(await mailbox.waitFor(thiefEmail, /Confirm your new email address/), '/auth/verify-email');

    await test.step('the owner opens the cancel link in a browser with no login: a page with one button, nothing changed yet', async () => {
      await page.goto(linkIn(notified, '/auth/email-change/cancel').toString());
      const cancel = new CancelEmailChangePage(page);
      await expect(cancel.heading).toBeVisible();
      await audit(page, 'cancel an address change');
      const response = await cancel.cancel();
      expect(response.status()).toBe(303);
      await expect(page).toHaveURL(at('/auth/forgot'));
      await expect(notice(page, /change of your email address was cancelled/)).toBeVisible();
    });

    await test.step("the thief's confirmation link no longer works", async () => {
      const thief = await thiefContext.newPage();
      await thief.goto(confirmLink.toString());
      await expect(new ConfirmEmailPage(thief).heading).toHaveCount(0);
      await expect(thief.getByRole('heading', { name: 'This link does not work' })).toBeVisible();
    });

    await test.step('the owner still logs in, at the old address', async () => {
      await logIn(page, { ...owner, username: owner.email });
      await expect(page.getByText(owner.email, { exact: true }).first()).toBeVisible();
    });
  } finally {
    await thiefContext.close();
  }
});
