import type { Locator, Page, Response } from '@playwright/test';
import { FormPage } from './form.page';

/** /account/2fa/totp, and the recovery codes page its form leads to. */
export class TotpSetupPage extends FormPage {
  readonly qrCode: Locator;
  readonly secret: Locator;
  readonly appLink: Locator;
  readonly code: Locator;
  readonly turnOnButton: Locator;
  readonly recoveryCodes: Locator;
  readonly savedLink: Locator;
  readonly sessionsEnded: Locator;

  constructor(page: Page) {
    super(page, '/account/2fa/totp');
    this.qrCode = page.getByRole('img', { name: 'QR code for your authenticator app' });
    this.secret = page.getByTestId('totp-secret');
    this.appLink = page.getByRole('link', { name: 'Add to an authenticator app on this device' });
    this.code = page.getByLabel('Code from the app');
    this.turnOnButton = page.getByRole('button', { name: 'Turn on' });
    this.recoveryCodes = page.getByTestId('recovery-codes').getByRole('listitem');
    this.savedLink = page.getByRole('link', { name: 'I have saved them' });
    this.sessionsEnded = page.getByTestId('sessions-ended');
  }

  /** The key as a person would type it into an app. */
  async secretText(): Promise<string> {
    return (await this.secret.innerText()).replace(/\s+/g, '');
  }

  async confirm(code: string): Promise<Response> {
    await this.code.fill(code);
    return this.submitWith(this.turnOnButton);
  }
}
