import type { Locator, Page } from '@playwright/test';
import { SiteNav } from './site-nav';

/** /admin/users: the admin's list of users, with search and per-user actions. */
export class AdminUsersPage {
  readonly nav: SiteNav;
  readonly heading: Locator;
  readonly searchBox: Locator;
  readonly searchButton: Locator;
  /** Body rows only: the header row holds column headers, not cells. */
  readonly rows: Locator;

  constructor(readonly page: Page) {
    this.nav = new SiteNav(page);
    this.heading = page.getByRole('heading', { name: 'Users', level: 1 });
    this.searchBox = page.getByRole('searchbox', { name: 'Search by username or email' });
    this.searchButton = page.getByRole('button', { name: 'Search', exact: true });
    this.rows = page
      .getByRole('table')
      .getByRole('row')
      .filter({ has: page.getByRole('cell') });
  }

  async goto(): Promise<void> {
    await this.page.goto('/admin/users');
  }

  async search(text: string): Promise<void> {
    await this.searchBox.fill(text);
    await this.searchButton.click();
  }

  /** The row whose Username cell is exactly this name. */
  row(username: string): Locator {
    return this.rows.filter({ has: this.page.getByRole('cell', { name: username, exact: true }) });
  }

  /** The Status cell ("Active" or "Disabled") of a user's row. */
  status(username: string): Locator {
    return this.row(username).getByRole('cell').nth(4);
  }

  /**
   * The actions carry the user's name, so each is unambiguous on its own.
   * Disable and End sessions are links to a confirmation page.
   */
  disableLink(username: string): Locator {
    return this.page.getByRole('link', { name: `Disable ${username}`, exact: true });
  }

  endSessionsLink(username: string): Locator {
    return this.page.getByRole('link', { name: `End sessions of ${username}`, exact: true });
  }

  enableButton(username: string): Locator {
    return this.page.getByRole('button', { name: `Enable ${username}`, exact: true });
  }
}
