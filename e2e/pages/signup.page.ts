import type { Locator, Page, Response } from '@playwright/test';
import type { TestUser } from '../support/users';
import { FormPage } from './form.page';

export class SignupPage extends FormPage {
  readonly heading: Locator;
  readonly username: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly submitButton: Locator;

  constructor(page: Page) {
    super(page, '/auth/signup');
    this.heading = page.getByRole('heading', { name: 'Create your account' });
    this.username = page.getByLabel('Username', { exact: true });
    this.email = page.getByLabel('Email', { exact: true });
    this.password = page.getByLabel('Password', { exact: true });
    this.submitButton = page.getByRole('button', { name: 'Sign up' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/auth/signup');
  }

  async fill(user: Partial<TestUser>): Promise<void> {
    if (user.username !== undefined) await this.username.fill(user.username);
    if (user.email !== undefined) await this.email.fill(user.email);
    if (user.password !== undefined) await this.password.fill(user.password);
  }

  async submit(): Promise<Response> {
    return this.submitWith(this.submitButton);
  }

  /** Opens the form, fills it in and submits it; returns the POST's response. */
  async signUp(user: Partial<TestUser>): Promise<Response> {
    await this.goto();
    await this.fill(user);
    return this.submit();
  }
}
