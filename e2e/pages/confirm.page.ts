import type { Locator, Page } from '@playwright/test';

/** A confirmation page for a destructive action (views/partials/confirm.hbs). */
export class ConfirmPage {
  readonly heading: Locator;
  readonly cancelLink: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('main').getByRole('heading', { level: 1 });
    this.cancelLink = page.getByRole('link', { name: 'Cancel, and go back' });
  }

  /** The button that carries out the action; it says what it does. */
  confirmButton(label: string | RegExp): Locator {
    return this.page.getByRole('main').getByRole('button', { name: label });
  }
}
