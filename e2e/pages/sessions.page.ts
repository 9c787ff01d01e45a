import type { Locator, Page } from '@playwright/test';
import { SiteNav } from './site-nav';

/** /account/sessions: one table row per active login. */
export class SessionsPage {
  readonly nav: SiteNav;
  readonly heading: Locator;
  /** Body rows only: the header row holds column headers, not cells. */
  readonly rows: Locator;
  /** The row of the browser looking at the page. */
  readonly currentRow: Locator;
  /** Every row but the current one. */
  readonly otherRows: Locator;
  /** A link to the confirmation page, whose button does it. */
  readonly logOutEverywhereElseLink: Locator;

  constructor(readonly page: Page) {
    this.nav = new SiteNav(page);
    this.heading = page.getByRole('heading', { name: 'Your sessions' });
    this.rows = page
      .getByRole('table')
      .getByRole('row')
      .filter({ has: page.getByRole('cell') });
    this.currentRow = this.rows.filter({ hasText: 'This device' });
    this.otherRows = this.rows.filter({ hasNotText: 'This device' });
    this.logOutEverywhereElseLink = page.getByRole('link', { name: 'Log out everywhere else' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/account/sessions');
  }

  /** The "End session" button of a row other than this device's. */
  endSessionButton(row: Locator): Locator {
    return row.getByRole('button', { name: 'End session' });
  }
}
