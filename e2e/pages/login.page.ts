import type { Locator, Page, Response } from '@playwright/test';
import { FormPage } from './form.page';

export class LoginPage extends FormPage {
  readonly heading: Locator;
  /** Takes a username or an email address. */
  readonly username: Locator;
  readonly password: Locator;
  readonly remember: Locator;
  readonly submitButton: Locator;

  constructor(page: Page) {
    super(page, '/auth/login');
    this.heading = page.getByRole('heading', { name: 'Log in' });
    this.username = page.getByLabel('Username or email', { exact: true });
    this.password = page.getByLabel('Password', { exact: true });
    this.remember = page.getByLabel('Keep me logged in on this device');
    this.submitButton = page.getByRole('button', { name: 'Log in' });
  }

  /** `next` is where the app should send the user after logging in. */
  async goto(next?: string): Promise<void> {
    await this.page.goto(next === undefined ? '/auth/login' : `/auth/login?next=${encodeURIComponent(next)}`);
  }

  /**
   * Fills in and submits the form already on screen; returns the POST's
   * response. `remember` ticks "Keep me logged in on this device".
   */
  async logIn(identifier: string, password: string, options: { remember?: boolean } = {}): Promise<Response> {
    await this.username.fill(identifier);
    await this.password.fill(password);
    if (options.remember) await this.remember.check();
    return this.submitWith(this.submitButton);
  }
}
