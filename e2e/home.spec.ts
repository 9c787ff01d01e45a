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
  // Words for people, not Express's "Cannot GET /no-such-page".
  await expect(page.getByRole('main')).toContainText('We could not find that page.');
  await expect(page.getByRole('main')).not.toContainText('Cannot GET');
  await expect(page.getByRole('link', { name: 'Back to the home page' })).toBeVisible();
});

test('the favicon - /favicon.ico answers with an icon, and pages link an SVG one', async ({ page }) => {
  const icon = await page.request.get('/favicon.ico');
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);
  await new HomePage(page).goto();
  const svg = await page.request.get((await page.locator('link[rel="icon"][type="image/svg+xml"]').getAttribute('href'))!);
  expect(svg.headers()['content-type']).toContain('image/svg+xml');
});

test('press Tab on a page - the first stop is the skip link, which moves focus to the main content', async ({ page }) => {
  await new HomePage(page).goto();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
});

test('the navigation - marks the page being shown with aria-current', async ({ page }) => {
  const home = new HomePage(page);
  await new LoginPage(page).goto();
  await expect(home.nav.logInLink).toHaveAttribute('aria-current', 'page');
  await expect(home.nav.signUpLink).not.toHaveAttribute('aria-current');

  await new SignupPage(page).signUp(uniqueUser());
  await page.goto('/account/sessions');
  await expect(home.nav.sessionsLink).toHaveAttribute('aria-current', 'page');
  await expect(home.nav.profileLink).not.toHaveAttribute('aria-current');
});
