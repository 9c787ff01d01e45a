import type { Locator, Page } from '@playwright/test';
import { SiteNav } from './site-nav';

export class ProfilePage {
  readonly nav: SiteNav;
  readonly heading: Locator;
  readonly username: Locator;
  readonly email: Locator;
  readonly roles: Locator;
  readonly memberSince: Locator;
  /** The live list of logins that the page script fetches through Latchkey.api. */
  readonly liveSessions: Locator;

  constructor(readonly page: Page) {
    this.nav = new SiteNav(page);
    this.heading = page.getByRole('heading', { name: 'Your profile' });
    this.username = this.detail('Username');
    this.email = this.detail('Email');
    this.roles = this.detail('Roles');
    this.memberSince = this.detail('Member since');
    this.liveSessions = page.getByRole('heading', { name: 'Where you are logged in' }).locator('xpath=following-sibling::ul[1]');
  }

  async goto(path = '/profile'): Promise<void> {
    await this.page.goto(path);
  }

  /** The value (the `definition`) that follows a `term` in the profile's description list. */
  private detail(term: string): Locator {
    return this.page
      .getByRole('term')
      .filter({ hasText: new RegExp(`^\\s*${term}\\s*$`) })
      .locator('xpath=following-sibling::*[1]');
  }
}
