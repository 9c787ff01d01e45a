import { expect, test } from './fixtures';
import { HomePage } from './pages/home.page';
import { SignupPage } from './pages/signup.page';
import { LoginPage } from './pages/login.page';
import { ProfilePage } from './pages/profile.page';
import { uniqueUser } from './support/users';

test('open the home page logged out - offers sign up and log in', async ({ page }) => {
  const home = new HomePage(page);
  await home.goto();
  await expect(home.heading).toBeVisible();
  await expect(home.signUpLink).toBeVisible();
  await expect(home.logInLink).toBeVisible();
  await expect(home.profileLink).toBeHidden();
  await expect(home.nav.logOutButton).toBeHidden();
});

test('follow the home page links - open the sign-up and log-in forms', async ({ page }) => {
  const home = new HomePage(page);
  await home.goto();
  await home.signUpLink.click();
  await expect(new SignupPage(page).heading).toBeVisible();

  await home.goto();
  await home.logInLink.click();
  await expect(new LoginPage(page).heading).toBeVisible();
});

test('open the home page logged in - greets the user and links to the profile', async ({ page }) => {
  const user = uniqueUser();
  await new SignupPage(page).signUp(user);
  const home = new HomePage(page);
  await home.goto();
  await expect(page.getByRole('main')).toContainText(`You are logged in as ${user.username}`);
  await expect(home.signUpLink).toBeHidden();
  await expect(home.nav.logOutButton).toBeVisible();
  await home.profileLink.click();
  await expect(new ProfilePage(page).username).toHaveText(user.username);
});

test('open a page that does not exist - shows the 404 page', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Back to the home page' })).toBeVisible();
});
