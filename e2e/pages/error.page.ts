import type { Locator, Page } from '@playwright/test';

/** The error page (views/errors/error.hbs): "Error <status>" above a heading. */
export class ErrorPage {
  readonly heading: Locator;
  readonly homeLink: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('main').getByRole('heading', { level: 1 });
    this.homeLink = page.getByRole('link', { name: 'Back to the home page' });
  }

  /** The "Error 403" line above the heading. */
  statusLine(status: number): Locator {
    return this.page.getByRole('main').getByText(`Error ${status}`, { exact: true });
  }
}
