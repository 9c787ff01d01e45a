import type { Browser, Page } from '@playwright/test';
import { linkIn, TestMailbox } from '../../test/support/smtp';
import { ConfirmEmailPage } from '../pages/recovery.page';
import { SignupPage } from '../pages/signup.page';
import type { TestUser } from './users';

/**
 * Creates an account the way a person would, in a browser context of its
 * own, so the test's `page` starts logged out with a clean cookie jar.
 */
export async function createAccount(browser: Browser, baseURL: string, user: TestUser): Promise<TestUser> {
  const context = await browser.newContext({ baseURL });
  try {
    const response = await new SignupPage(await context.newPage()).signUp(user);
    if (response.status() !== 303) throw new Error(`sign-up of ${user.username} answered ${response.status()}, not 303`);
    return user;
  } finally {
    await context.close();
  }
}

/**
 * Signs up in this page and confirms the address from the mail, as a person
 * would: only an account with a verified address can add a second factor.
 * The page ends logged in, on the profile.
 */
export async function signUpVerified(page: Page, mailbox: TestMailbox, user: TestUser): Promise<TestUser> {
  const signedUp = await new SignupPage(page).signUp(user);
  if (signedUp.status() !== 303) throw new Error(`sign-up of ${user.username} answered ${signedUp.status()}, not 303`);
  const mail = await mailbox.waitFor(user.email, /Confirm your email address/);
  await page.goto(linkIn(mail, '/auth/verify-email').toString());
  const confirmed = await new ConfirmEmailPage(page).confirm();
  if (confirmed.status() !== 303) throw new Error(`confirming ${user.email} answered ${confirmed.status()}, not 303`);
  return user;
}
