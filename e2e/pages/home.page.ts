import type { Locator, Page } from '@playwright/test';
import { SiteNav } from './site-nav';

/** The home page's own links, as opposed to the same ones in the navigation bar. */
export class HomePage {
  readonly nav: SiteNav;
  readonly heading: Locator;
  readonly signUpLink: Locator;
  readonly logInLink: Locator;
  readonly profileLink: Locator;

  constructor(readonly page: Page) {
    this.nav = new SiteNav(page);
    const main = page.getByRole('main');
    this.heading = main.getByRole('heading', { name: 'Latchkey', level: 1 });
    this.signUpLink = main.getByRole('link', { name: 'Sign up', exact: true });
    this.logInLink = main.getByRole('link', { name: 'Log in', exact: true });
    this.profileLink = main.getByRole('link', { name: 'Go to your profile' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/');
  }
}
