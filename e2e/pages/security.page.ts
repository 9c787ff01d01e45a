import type { Locator, Page } from '@playwright/test';
import { SiteNav } from './site-nav';

/** /account/security: two-factor status, recovery codes and passkeys. */
export class SecurityPage {
  readonly nav: SiteNav;
  readonly heading: Locator;
  readonly twoFactorStatus: Locator;
  readonly recoveryCodesLeft: Locator;
  readonly setUpLink: Locator;
  readonly passkeyName: Locator;
  readonly addPasskeyButton: Locator;
  readonly passkeyRows: Locator;
  readonly noPasskeys: Locator;
  readonly passkeyError: Locator;
  /** Shown instead of the set-up controls while the address is not verified. */
  readonly verifyEmailFirst: Locator;

  constructor(readonly page: Page) {
    this.nav = new SiteNav(page);
    this.heading = page.getByRole('heading', { name: 'Security', exact: true });
    this.twoFactorStatus = page.getByTestId('two-factor-status');
    this.recoveryCodesLeft = page.getByTestId('recovery-codes-left');
    this.setUpLink = page.getByRole('link', { name: 'Set up an authenticator app' });
    this.passkeyName = page.getByLabel('Name for a new passkey');
    this.addPasskeyButton = page.getByRole('button', { name: 'Add a passkey' });
    this.passkeyRows = page.locator('tr[data-passkey-id]');
    this.noPasskeys = page.getByTestId('no-passkeys');
    this.passkeyError = page.locator('[data-passkey="register"] [data-passkey-error]');
    this.verifyEmailFirst = page.getByTestId('verify-email-first');
  }

  async goto(): Promise<void> {
    await this.page.goto('/account/security');
  }

  removeButton(name: string): Locator {
    return this.page.getByRole('button', { name: `Remove passkey ${name}` });
  }
}
