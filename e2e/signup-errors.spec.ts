import { expect, test } from './fixtures';
import { ProfilePage } from './pages/profile.page';
import { SignupPage } from './pages/signup.page';
import { createAccount } from './support/accounts';
import { uniqueUser } from './support/users';

const SUMMARY = /There is a problem/;

test('sign up with an invalid email and a short password - 422 keeps the typed username and email and explains each field', async ({
  page,
}) => {
  const signup = new SignupPage(page);
  // Mixed case: the form must give back exactly what was typed.
  const username = `Typed.Name_${uniqueUser().username.slice(-6)}`;

  const response = await signup.signUp({ username, email: 'not-an-email', password: 'short' });

  expect(response.status()).toBe(422);
  await expect(signup.heading).toBeVisible();
  await expect(signup.username).toHaveValue(username);
  await expect(signup.email).toHaveValue('not-an-email');
  await expect(signup.password).toHaveValue('');

  // Each error is next to its field and tied to it for assistive technology.
  await expect(signup.email).toHaveAttribute('aria-invalid', 'true');
  await expect(signup.email).toHaveAccessibleDescription(/valid email address/i);
  await expect(signup.password).toHaveAttribute('aria-invalid', 'true');
  await expect(signup.password).toHaveAccessibleDescription(/at least 8 characters/i);
  await expect(signup.username).not.toHaveAttribute('aria-invalid', 'true');

  // And a summary at the top links to every one of them.
  await expect(signup.errorSummary).toBeVisible();
  await expect(signup.errorSummary).toContainText(SUMMARY);
  await expect(signup.summaryLink(/valid email address/i)).toBeVisible();
  await expect(signup.summaryLink(/at least 8 characters/i)).toBeVisible();
  await expect(signup.errorSummary.getByRole('link')).toHaveCount(2);
});

test('correct the fields after a sign-up error and submit again - creates the account', async ({ page }) => {
  const signup = new SignupPage(page);
  const user = uniqueUser();

  expect((await signup.signUp({ username: user.username, email: 'nope', password: user.password })).status()).toBe(422);

  // The re-rendered form must carry a working CSRF token and the kept values.
  await signup.fill({ email: user.email, password: user.password });
  expect((await signup.submit()).status()).toBe(303);
  await expect(page).toHaveURL((url) => url.pathname === '/profile');
  await expect(new ProfilePage(page).username).toHaveText(user.username);
});

test('sign up with a username that is taken in another case - 409 keeps the input and marks the username', async ({
  page,
  browser,
  baseURL,
}) => {
  const existing = await createAccount(browser, baseURL, uniqueUser());
  const signup = new SignupPage(page);
  const attempt = { ...uniqueUser(), username: existing.username.toUpperCase() };

  const response = await signup.signUp(attempt);

  expect(response.status()).toBe(409);
  await expect(signup.username).toHaveValue(attempt.username);
  await expect(signup.email).toHaveValue(attempt.email);
  await expect(signup.password).toHaveValue('');
  await expect(signup.username).toHaveAttribute('aria-invalid', 'true');
  await expect(signup.username).toHaveAccessibleDescription(/username is taken/i);
  await expect(signup.email).not.toHaveAttribute('aria-invalid', 'true');
  await expect(signup.errorSummary).toContainText(SUMMARY);
  await expect(signup.summaryLink(/username is taken/i)).toBeVisible();
});

test('sign up with an email address that already has an account - 409 keeps the input and marks the email', async ({
  page,
  browser,
  baseURL,
}) => {
  const existing = await createAccount(browser, baseURL, uniqueUser());
  const signup = new SignupPage(page);
  const attempt = { ...uniqueUser(), email: existing.email };

  const response = await signup.signUp(attempt);

  expect(response.status()).toBe(409);
  await expect(signup.username).toHaveValue(attempt.username);
  await expect(signup.email).toHaveValue(attempt.email);
  await expect(signup.password).toHaveValue('');
  await expect(signup.email).toHaveAttribute('aria-invalid', 'true');
  await expect(signup.email).toHaveAccessibleDescription(/already exists/i);
  await expect(signup.username).not.toHaveAttribute('aria-invalid', 'true');
  await expect(signup.errorSummary).toContainText(SUMMARY);
  await expect(signup.summaryLink(/already exists/i)).toBeVisible();
});
