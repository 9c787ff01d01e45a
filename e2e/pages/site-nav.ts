import type { Locator, Page } from '@playwright/test';

/** The navigation bar in the layout, on every page. */
export class SiteNav {
  readonly root: Locator;
  readonly logInLink: Locator;
  readonly signUpLink: Locator;
  readonly profileLink: Locator;
  readonly sessionsLink: Locator;
  readonly passwordLink: Locator;
  /** Shown to admins only. */
  readonly adminLink: Locator;
  readonly logOutButton: Locator;

  constructor(page: Page) {
    this.root = page.getByRole('navigation', { name: 'Main' });
    this.logInLink = this.root.getByRole('link', { name: 'Log in', exact: true });
    this.signUpLink = this.root.getByRole('link', { name: 'Sign up', exact: true });
    this.profileLink = this.root.getByRole('link', { name: 'Profile', exact: true });
    this.sessionsLink = this.root.getByRole('link', { name: 'Sessions', exact: true });
    this.passwordLink = this.root.getByRole('link', { name: 'Password', exact: true });
    this.adminLink = this.root.getByRole('link', { name: 'Admin', exact: true });
    this.logOutButton = this.root.getByRole('button', { name: 'Log out', exact: true });
  }

  async logOut(): Promise<void> {
    await this.logOutButton.click();
  }
}
