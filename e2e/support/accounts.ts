import type { Browser } from '@playwright/test';
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
