import type { Locator, Page, Response } from '@playwright/test';
import { FormPage } from './form.page';

/** /auth/forgot: one address, and the same notice whether or not it has an account. */
export class ForgotPage extends FormPage {
  readonly heading: Locator;
  readonly email: Locator;
  readonly submitButton: Locator;
  readonly sentNotice: Locator;

  constructor(page: Page) {
    super(page, '/auth/forgot');
    this.heading = page.getByRole('heading', { name: 'Forgot your password?' });
    this.email = page.getByLabel('Email', { exact: true });
    this.submitButton = page.getByRole('button', { name: 'Send me a link' });
    this.sentNotice = page.getByRole('status').filter({ hasText: 'If an account has that address' });
  }

  async ask(email: string): Promise<Response> {
    await this.email.fill(email);
    return this.submitWith(this.submitButton);
  }
}

/** /auth/reset?token=…: the page a reset link opens. */
export class ResetPage extends FormPage {
  readonly heading: Locator;
  readonly newPassword: Locator;
  readonly submitButton: Locator;

  constructor(page: Page) {
    super(page, '/auth/reset');
    this.heading = page.getByRole('heading', { name: 'Choose a new password' });
    this.newPassword = page.getByLabel('New password', { exact: true });
    this.submitButton = page.getByRole('button', { name: 'Set new password' });
  }

  async choose(password: string): Promise<Response> {
    await this.newPassword.fill(password);
    return this.submitWith(this.submitButton);
  }
}

/** /auth/verify-email?token=…: one button, which is all that confirms. */
export class ConfirmEmailPage extends FormPage {
  readonly heading: Locator;
  readonly confirmButton: Locator;

  constructor(page: Page) {
    super(page, '/auth/verify-email');
    this.heading = page.getByRole('heading', { name: /Confirm your (new )?email address/ });
    this.confirmButton = page.getByRole('button', { name: 'Confirm' });
  }

  async confirm(): Promise<Response> {
    return this.submitWith(this.confirmButton);
  }
}

/** /auth/email-change/cancel?token=…: the link in the notice to the old address; one button, no login needed. */
export class CancelEmailChangePage extends FormPage {
  readonly heading: Locator;
  readonly cancelButton: Locator;

  constructor(page: Page) {
    super(page, '/auth/email-change/cancel');
    this.heading = page.getByRole('heading', { name: 'Cancel the change of your email address' });
    this.cancelButton = page.getByRole('button', { name: 'Cancel the change' });
  }

  async cancel(): Promise<Response> {
    return this.submitWith(this.cancelButton);
  }
}

/** /account/email: a new address and the current password. */
export class ChangeEmailPage extends FormPage {
  readonly newEmail: Locator;
  readonly currentPassword: Locator;
  readonly submitButton: Locator;

  constructor(page: Page) {
    super(page, '/account/email');
    this.newEmail = page.getByLabel('New email address', { exact: true });
    this.currentPassword = page.getByLabel('Current password', { exact: true });
    this.submitButton = page.getByRole('button', { name: 'Send confirmation link' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/account/email');
  }

  async request(newEmail: string, currentPassword: string): Promise<Response> {
    await this.newEmail.fill(newEmail);
    await this.currentPassword.fill(currentPassword);
    return this.submitWith(this.submitButton);
  }
}
