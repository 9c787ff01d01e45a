import type { Locator, Page, Response } from '@playwright/test';
import { FormPage } from './form.page';
import { notice } from './notice';

/** /account/password: change the password, which ends every other login. */
export class PasswordPage extends FormPage {
  readonly heading: Locator;
  readonly currentPassword: Locator;
  readonly newPassword: Locator;
  readonly submitButton: Locator;
  /** The notice shown after a successful change. */
  readonly changedNotice: Locator;

  constructor(page: Page) {
    super(page, '/account/password');
    this.heading = page.getByRole('heading', { name: 'Change password' });
    this.currentPassword = page.getByLabel('Current password', { exact: true });
    this.newPassword = page.getByLabel('New password', { exact: true });
    this.submitButton = page.getByRole('button', { name: 'Change password' });
    this.changedNotice = notice(page, 'Your password was changed');
  }

  async goto(): Promise<void> {
    await this.page.goto('/account/password');
  }

  /** Fills in and submits the form already on screen; returns the POST's response. */
  async change(current: string, next: string): Promise<Response> {
    await this.currentPassword.fill(current);
    await this.newPassword.fill(next);
    return this.submitWith(this.submitButton);
  }
}
