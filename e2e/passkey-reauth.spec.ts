import { expect } from './fixtures';
import { SecurityPage } from './pages/security.page';
import { signUpVerified } from './support/accounts';
import { withMailbox } from './support/mail';
import { at } from './support/session';
import { uniqueUser } from './support/users';
import { addVirtualAuthenticator, test, withoutPasskeyAutofill } from './support/webauthn';

/** Adding or removing a passkey needs a proof of identity within REAUTH_WINDOW, short here. */
test.use({ appEnv: withMailbox({ REAUTH_WINDOW: '8s' }) });

test.describe('re-authentication for passkey changes', () => {
  test('past the window: adding asks for the password, removing accepts the passkey as proof', async ({ page, mailbox }) => {
    const user = uniqueUser('pk');
    const security = new SecurityPage(page);
    await addVirtualAuthenticator(page);
    await withoutPasskeyAutofill(page);
    await signUpVerified(page, mailbox, user);

    await test.step('past the window, "Add a passkey" - sent to confirm with the password, then back', async () => {
      await page.waitForTimeout(8_500);
      await security.goto();
      await security.passkeyName.fill('Desk');
      await security.addPasskeyButton.click();
      await expect(page).toHaveURL((url) => url.pathname === '/auth/reauth' && url.searchParams.get('next') === '/account/security');
      await page.getByLabel('Password', { exact: true }).fill(user.password);
      await page.getByRole('button', { name: 'Confirm' }).click();
      await expect(page).toHaveURL(at('/account/security'));
      await security.passkeyName.fill('Desk');
      await security.addPasskeyButton.click();
      await expect(security.passkeyRows).toHaveCount(1);
    });

    await test.step('past the window again, "Remove" - the passkey is accepted as the proof, then it can be removed', async () => {
      await page.waitForTimeout(8_500);
      await security.removeButton('Desk').click();
      await expect(page).toHaveURL((url) => url.pathname === '/auth/reauth');
      await page.getByRole('button', { name: 'Use a passkey instead' }).click();
      await expect(page).toHaveURL(at('/account/security'));
      await security.removeButton('Desk').click();
      await expect(security.noPasskeys).toBeVisible();
    });
  });
});
