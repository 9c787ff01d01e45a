import { expect, test } from './fixtures';

test('home page - offers sign up and log in', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Sign up' }).first()).toBeVisible();
});
