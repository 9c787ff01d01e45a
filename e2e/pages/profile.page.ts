import type { Locator, Page } from '@playwright/test';
import { SiteNav } from './site-nav';

export class ProfilePage {
  readonly nav: SiteNav;
  readonly heading: Locator;
  readonly username: Locator;
  readonly email: Locator;
  readonly roles: Locator;
  readonly memberSince: Locator;

  constructor(readonly page: Page) {
    this.nav = new SiteNav(page);
    this.heading = page.getByRole('heading', { name: 'Your profile' });
    this.username = this.detail('Username');
    this.email = this.detail('Email');
    this.roles = this.detail('Roles');
    this.memberSince = this.detail('Member since');
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
