import { expect } from './fixtures';
import { LoginPage } from './pages/login.page';
import { ProfilePage } from './pages/profile.page';
import { SecurityPage } from './pages/security.page';
import { signUpVerified } from './support/accounts';
import { at } from './support/session';
import { uniqueUser } from './support/users';
import { addVirtualAuthenticator, credentialsOn, test, withoutPasskeyAutofill } from './support/webauthn';

test.describe('passkeys in Chromium (virtual authenticator)', () => {
  test('register, log out, sign in with it; remove it and it no longer signs in', async ({ page, mailbox }) => {
    const user = uniqueUser('pk');
    const security = new SecurityPage(page);
    const login = new LoginPage(page);
    const signInWithPasskey = page.getByRole('button', { name: 'Sign in with a passkey' });
    const { cdp, authenticatorId } = await addVirtualAuthenticator(page);
    await withoutPasskeyAutofill(page);

    await test.step('sign up, verify the address and add a passkey named "Laptop" - listed, and stored on the authenticator', async () => {
      await signUpVerified(page, mailbox, user);
      await security.goto();
      await expect(security.noPasskeys).toBeVisible();
      await security.passkeyName.fill('Laptop');
      await security.addPasskeyButton.click();
      await expect(security.passkeyRows).toHaveCount(1);
      await expect(security.passkeyRows.getByRole('textbox')).toHaveValue('Laptop');
      expect(await credentialsOn(cdp, authenticatorId)).toHaveLength(1);
    });

    await test.step('log out, press "Sign in with a passkey" - logged in without a password or code', async () => {
      await security.nav.logOut();
      await login.goto();
      await signInWithPasskey.click();
      await expect(page).toHaveURL(at('/profile'));
      await expect(new ProfilePage(page).username).toHaveText(user.username);
      await security.goto();
      await expect(security.passkeyRows.getByRole('cell').nth(2)).not.toHaveText('Never');
    });

    await test.step('remove it - the list is empty', async () => {
      await security.removeButton('Laptop').click();
      await expect(security.noPasskeys).toBeVisible();
    });

    await test.step('log out, try the passkey the authenticator still holds - refused, still logged out', async () => {
      await security.nav.logOut();
      await login.goto();
      await signInWithPasskey.click();
      await expect(page.locator('[data-passkey="login"] [data-passkey-error]')).toContainText('could not be verified');
      await expect(page).toHaveURL(at('/auth/login'));
      await page.goto('/profile');
      await expect(page).toHaveURL((url) => url.pathname === '/auth/login');
    });
  });

  test('the username field offers the passkey in its autofill (conditional UI) - choosing it signs in', async ({ page, mailbox }) => {
    const user = uniqueUser('pk');
    const security = new SecurityPage(page);
    await addVirtualAuthenticator(page);
    await signUpVerified(page, mailbox, user);
    await security.goto();
    await security.passkeyName.fill('Laptop');
    await security.addPasskeyButton.click();
    await expect(security.passkeyRows).toHaveCount(1);
    await security.nav.logOut();
    const form = await (await page.request.get('/auth/login', { headers: { Accept: 'text/html' } })).text();
    expect(form).toMatch(/name="username"[^>]*autocomplete="username webauthn"/);
    // The virtual authenticator picks the offered passkey at once, as a person would from the autofill list.
    await new LoginPage(page).goto();
    await expect(page).toHaveURL(at('/profile'));
    await expect(new ProfilePage(page).username).toHaveText(user.username);
  });

  test('a second authenticator that holds no credential cannot sign in', async ({ page, newContext, mailbox }) => {
    const user = uniqueUser('pk');
    const security = new SecurityPage(page);
    await addVirtualAuthenticator(page);
    await signUpVerified(page, mailbox, user);
    await security.goto();
    await security.passkeyName.fill('Phone');
    await security.addPasskeyButton.click();
    await expect(security.passkeyRows).toHaveCount(1);

    const other = await (await newContext()).newPage();
    const { cdp, authenticatorId } = await addVirtualAuthenticator(other);
    await withoutPasskeyAutofill(other);
    expect(await credentialsOn(cdp, authenticatorId)).toHaveLength(0);
    await other.goto('/auth/login');
    await other.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(other.locator('[data-passkey="login"] [data-passkey-error]')).not.toBeEmpty();
    await expect(other).toHaveURL(at('/auth/login'));
    await other.goto('/profile');
    await expect(other).toHaveURL((url) => url.pathname === '/auth/login');
  });
});

test.describe('a cloned passkey', () => {
  test('a copy of the key whose signature counter went backwards - refused', async ({ page, newContext, mailbox }) => {
    const user = uniqueUser('pk');
    const security = new SecurityPage(page);
    const original = await addVirtualAuthenticator(page);
    await withoutPasskeyAutofill(page);
    await signUpVerified(page, mailbox, user);
    await security.goto();
    await security.passkeyName.fill('Original');
    await security.addPasskeyButton.click();
    await expect(security.passkeyRows).toHaveCount(1);
    // One sign-in with the original moves the server's counter on.
    await security.nav.logOut();
    await new LoginPage(page).goto();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(page).toHaveURL(at('/profile'));

    // The private key copied to another authenticator, its counter back at zero.
    const [credential] = await credentialsOn(original.cdp, original.authenticatorId);
    expect(credential.signCount).toBeGreaterThan(0);
    const thief = await (await newContext()).newPage();
    const clone = await addVirtualAuthenticator(thief);
    await withoutPasskeyAutofill(thief);
    await clone.cdp.send('WebAuthn.addCredential', { authenticatorId: clone.authenticatorId, credential: { ...credential, signCount: 0 } });
    await thief.goto('/auth/login');
    await thief.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(thief.locator('[data-passkey="login"] [data-passkey-error]')).toContainText('could not be verified');
    await thief.goto('/profile');
    await expect(thief).toHaveURL((url) => url.pathname === '/auth/login');
  });
});
