import { expect, type Page } from '@playwright/test';
import { LoginPage } from '../pages/login.page';
import type { TestUser } from './users';

/**
 * The access-token lifetime for specs that wait for a real expiry, and the
 * wait itself: just past the TTL. A JWT's `exp` is in whole seconds counted
 * from the second it was issued in, so the token is dead before this wait
 * ends whenever it was issued before the wait began.
 */
export const SHORT_ACCESS_TTL = { ACCESS_TOKEN_TTL: '2s' };
export async function waitForAccessTokenExpiry(page: Page): Promise<void> {
  await page.waitForTimeout(2_500);
}

/** Logs in through the form and waits for the profile. */
export async function logIn(page: Page, user: TestUser, options: { remember?: boolean } = {}): Promise<void> {
  const login = new LoginPage(page);
  await login.goto();
  const response = await login.logIn(user.username, user.password, options);
  expect(response.status(), `log-in of ${user.username}`).toBe(303);
  await expect(page).toHaveURL((url) => url.pathname === '/profile');
}

/** The log-in form, reached with `next` set to this local path. */
export const loginFormFor = (next: string) => (url: URL) => url.pathname === '/auth/login' && url.searchParams.get('next') === next;

export const at =
  (path: string, search = '') =>
  (url: URL) =>
    url.pathname === path && url.search === search;
