import type { Locator, Page, Response } from '@playwright/test';
import { FormPage } from './form.page';

/** /auth/2fa: the second step of a login. */
export class TwoFactorPage extends FormPage {
  readonly heading: Locator;
  readonly code: Locator;
  readonly verifyButton: Locator;

  constructor(page: Page) {
    super(page, '/auth/2fa');
    this.heading = page.getByRole('heading', { name: 'Two-factor authentication' });
    this.code = page.getByLabel('Code', { exact: true });
    this.verifyButton = page.getByRole('button', { name: 'Verify' });
  }

  async enter(code: string): Promise<Response> {
    await this.code.fill(code);
    return this.submitWith(this.verifyButton);
  }
}
