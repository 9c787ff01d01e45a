import { expect } from '@playwright/test';
import type { NewContext } from '../fixtures';
import { ProfilePage } from '../pages/profile.page';
import { SessionsPage } from '../pages/sessions.page';
import { SignupPage } from '../pages/signup.page';
import { at, logIn } from './session';
import { uniqueUser } from './users';

/** One user logged in from two browsers: `first` signed up, `second` logged in later. */
export async function twoBrowsers(newContext: NewContext) {
  const user = uniqueUser();
  const first = await (await newContext()).newPage();
  await new SignupPage(first).signUp(user);
  await expect(new ProfilePage(first).username).toHaveText(user.username);
  const second = await (await newContext()).newPage();
  await logIn(second, user);
  return { user, first, second };
}

/** Ends the one other login from this sessions page, and sees it gone. */
export async function endTheOtherSession(sessions: SessionsPage): Promise<void> {
  await sessions.goto();
  await expect(sessions.rows).toHaveCount(2);
  await expect(sessions.currentRow).toHaveCount(1);
  await expect(sessions.otherRows).toHaveCount(1);
  await sessions.endSessionButton(sessions.otherRows).click();
  await expect(sessions.page).toHaveURL(at('/account/sessions'));
  await expect(sessions.rows).toHaveCount(1);
  await expect(sessions.currentRow).toHaveCount(1);
}
