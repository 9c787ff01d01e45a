import type { Locator, Page } from '@playwright/test';

/** The /auth/refresh interstitial; with JavaScript it submits itself. */
export class RefreshPage {
  readonly heading: Locator;
  readonly continueButton: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Welcome back' });
    this.continueButton = page.getByRole('button', { name: 'Continue' });
  }

  async continue(): Promise<void> {
    await this.continueButton.click();
  }
}
