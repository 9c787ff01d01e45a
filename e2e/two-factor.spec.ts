import type { Page } from '@playwright/test';
import type { TestMailbox } from '../test/support/smtp';
import { awayFromStepEdge, codeAt } from '../test/support/totp-clock';
import { LoginPage } from './pages/login.page';
import { ProfilePage } from './pages/profile.page';
import { SecurityPage } from './pages/security.page';
import { SignupPage } from './pages/signup.page';
import { TotpSetupPage } from './pages/totp-setup.page';
import { TwoFactorPage } from './pages/two-factor.page';
import { signUpVerified } from './support/accounts';
import { expect, test } from './support/mail';
import { at } from './support/session';
import { uniqueUser } from './support/users';

/** TOTP set-up and the two-step login in a real browser, with codes computed from the key shown on the page. */
function totpFlow() {
  return async ({ page, mailbox }: { page: Page; mailbox: TestMailbox }) => {
    const user = uniqueUser('tf');
    const security = new SecurityPage(page);
    const setup = new TotpSetupPage(page);
    const login = new LoginPage(page);
    const twoFactor = new TwoFactorPage(page);
    let secret = '';

    await test.step('sign up and verify the address, open the security page - two-factor authentication is off', async () => {
      await signUpVerified(page, mailbox, user);
      await security.goto();
      await expect(security.twoFactorStatus).toHaveText('Off');
    });

    await test.step('set up - a QR code, the key as text and an otpauth link', async () => {
      await security.setUpLink.click();
      await expect(setup.qrCode).toBeVisible();
      await expect(setup.appLink).toHaveAttribute('href', /^otpauth:\/\/totp\//);
      secret = await setup.secretText();
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    });

    await test.step('confirm with the code - 10 recovery codes, shown once, and other logins ended; the security page says on', async () => {
      await awayFromStepEdge();
      const response = await setup.confirm(codeAt(secret));
      expect(response.status()).toBe(200);
      await expect(setup.recoveryCodes).toHaveCount(10);
      await expect(setup.sessionsEnded).toHaveText('You were not logged in anywhere else.');
      await setup.savedLink.click();
      await expect(security.twoFactorStatus).toHaveText('On');
      await expect(security.recoveryCodesLeft).toHaveText(/^10 recovery codes left\./);
    });

    await test.step('log out, log in with the password - asked for a code, not logged in yet', async () => {
      await security.nav.logOut();
      await login.goto('/account/security');
      const response = await login.logIn(user.username, user.password);
      expect(response.status()).toBe(303);
      await expect(page).toHaveURL((url) => url.pathname === '/auth/2fa');
      await expect(twoFactor.heading).toBeVisible();
    });

    await test.step('a wrong code - 401, the form again with the error', async () => {
      const response = await twoFactor.enter(codeAt(secret) === '000000' ? '111111' : '000000');
      expect(response.status()).toBe(401);
      await expect(twoFactor.errorSummary).toContainText('That code is not right');
    });

    await test.step('the next code - logged in and on the page asked for', async () => {
      const response = await twoFactor.enter(codeAt(secret, +1));
      expect(response.status()).toBe(303);
      await expect(page).toHaveURL(at('/account/security'));
      await expect(security.twoFactorStatus).toHaveText('On');
      await page.goto('/profile');
      await expect(new ProfilePage(page).username).toHaveText(user.username);
    });
  };
}

test.describe('two-factor authentication with JavaScript', () => {
  test('set up TOTP, then log in with password and code', totpFlow());

  test('an address not yet verified - the security page says to confirm it first, with no set-up link or passkey button', async ({
    page,
  }) => {
    await new SignupPage(page).signUp(uniqueUser('uv'));
    const security = new SecurityPage(page);
    await security.goto();
    await expect(security.verifyEmailFirst).toContainText('Confirm your email address before adding a second factor');
    await expect(security.setUpLink).toHaveCount(0);
    await expect(security.addPasskeyButton).toHaveCount(0);
    await security.verifyEmailFirst.getByRole('link', { name: 'your profile' }).click();
    await expect(page.getByRole('button', { name: 'Send the link again' })).toBeVisible();
  });
});

test.describe('two-factor authentication without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('set up TOTP, then log in with password and code', totpFlow());

  test('passkey buttons stay hidden and the forms still work', async ({ page, mailbox }) => {
    await page.goto('/auth/login');
    await expect(page.getByRole('button', { name: 'Sign in with a passkey' })).toBeHidden();
    await signUpVerified(page, mailbox, uniqueUser('np'));
    const security = new SecurityPage(page);
    await security.goto();
    await expect(security.addPasskeyButton).toBeHidden();
    await expect(security.setUpLink).toBeVisible();
  });
});
