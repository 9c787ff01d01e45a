import { join } from 'node:path';
import type { BrowserContextOptions, Page } from '@playwright/test';
import { expect, test } from '../fixtures';
import { AdminUsersPage } from '../pages/admin-users.page';
import { LoginPage } from '../pages/login.page';
import { ProfilePage } from '../pages/profile.page';
import { SessionsPage } from '../pages/sessions.page';
import { SignupPage } from '../pages/signup.page';
import { createAccount } from '../support/accounts';
import { promoteToAdmin } from '../support/admin';
import { logIn } from '../support/session';
import type { TestUser } from '../support/users';

/**
 * The pictures of README.md and docs/architecture.md (npm run screenshots):
 * each page in the light and the dark theme, on a desktop and on a phone.
 * The database is new on every run, so the people in them are always the
 * same.
 */
const OUT = join(__dirname, '..', '..', 'docs', 'screenshots');
const DESKTOP: BrowserContextOptions = { viewport: { width: 1200, height: 760 } };
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const AGENTS = {
  firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  safari:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  chrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
};

const ada: TestUser = { username: 'ada.lovelace', email: 'ada@analytical-engine.example', password: 'Notes on the Engine, 1843' };
const people = ['grace.hopper', 'alan.turing', 'katherine.johnson', 'margaret.hamilton'].map((username) => ({
  username,
  email: `${username.replace('.', '@')}.example`,
  password: `${username} has a long password`,
}));

async function shoot(page: Page, name: string, theme: 'light' | 'dark', fullPage = false): Promise<void> {
  await page.emulateMedia({ colorScheme: theme });
  // No caret or focus ring caught mid-blink.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.screenshot({ path: join(OUT, `${name}-${theme}.png`), fullPage, animations: 'disabled', caret: 'hide' });
}

test('README screenshots', async ({ browser, baseURL, appDbUri }) => {
  for (const person of people) await createAccount(browser, baseURL, person);
  // Signed up on Windows, logged in on a phone too, so the sessions page has something to show.
  await new SignupPage(await (await browser.newContext({ baseURL, userAgent: AGENTS.chrome })).newPage()).signUp(ada);
  await promoteToAdmin(appDbUri, ada.username);
  await logIn(await (await browser.newContext({ baseURL, userAgent: AGENTS.safari })).newPage(), ada);

  for (const [device, options] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    const context = await browser.newContext({ baseURL, ...options, userAgent: AGENTS.firefox });
    const page = await context.newPage();
    const full = device === 'phone';

    const signup = new SignupPage(page);
    await signup.goto();
    await signup.fill({ username: 'new.person', email: 'new.person@example.com', password: 'correct horse battery staple' });
    await expect(page.locator('#password-strength')).toBeVisible();
    for (const theme of ['light', 'dark'] as const) await shoot(page, `signup-${device}`, theme, full);

    const login = new LoginPage(page);
    await login.goto();
    await login.logIn(ada.username, 'not the password');
    await expect(login.errorSummary).toBeVisible();
    for (const theme of ['light', 'dark'] as const) await shoot(page, `login-error-${device}`, theme, full);

    await login.logIn(ada.username, ada.password);
    const profile = new ProfilePage(page);
    await expect(profile.liveSessions.getByRole('listitem')).toHaveCount(device === 'desktop' ? 3 : 4);
    for (const theme of ['light', 'dark'] as const) await shoot(page, `profile-${device}`, theme, full);

    const sessions = new SessionsPage(page);
    await sessions.goto();
    for (const theme of ['light', 'dark'] as const) await shoot(page, `sessions-${device}`, theme, full);

    await new AdminUsersPage(page).goto();
    for (const theme of ['light', 'dark'] as const) await shoot(page, `admin-${device}`, theme, full);
    await context.close();
  }
});
