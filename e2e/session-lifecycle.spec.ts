import type { BrowserContext, Page, Request } from '@playwright/test';
import { expect, test } from './fixtures';
import { LoginPage } from './pages/login.page';
import { ProfilePage } from './pages/profile.page';
import { PasswordPage } from './pages/password.page';
import { RefreshPage } from './pages/refresh.page';
import { SessionsPage } from './pages/sessions.page';
import { SignupPage } from './pages/signup.page';
import { endTheOtherSession, twoBrowsers } from './support/browsers';
import { SHORT_ACCESS_TTL, at, loginFormFor, waitForAccessTokenExpiry } from './support/session';
import { uniqueUser } from './support/users';

/**
 * Browser tests with a real, short access-token
 * lifetime: staying logged in when the token expires (unlike refresh.spec.ts,
 * which spoils the token's signature, these wait for it to expire, as a
 * person's would), and being logged out at the next refresh once the login
 * was ended elsewhere. What sensitive pages refuse at once, before any
 * expiry, is in sessions-page.spec.ts and password-change.spec.ts.
 */
test.use({ appEnv: SHORT_ACCESS_TTL });

const isRefreshPost = (request: Request) => request.method() === 'POST' && new URL(request.url()).pathname === '/auth/refresh';

/** Two tabs of one browser (one cookie jar), both on the profile. */
async function twoTabsLoggedIn(context: BrowserContext): Promise<{ tabs: [Page, Page]; username: string }> {
  const user = uniqueUser();
  const first = await context.newPage();
  await new SignupPage(first).signUp(user);
  await expect(new ProfilePage(first).username).toHaveText(user.username);
  const second = await context.newPage();
  await new ProfilePage(second).goto();
  await expect(new ProfilePage(second).username).toHaveText(user.username);
  return { tabs: [first, second], username: user.username };
}

/**
 * Runs `call` in every tab at one agreed instant (the tabs share the test's
 * clock), so the requests are in flight together rather than one after the
 * other as sequential `evaluate` calls would be. `call` is serialised into the
 * page, so it can use only its argument and browser globals; it
 * starts by waiting for the instant it is given.
 */
async function atTheSameMoment<T>(tabs: Page[], call: (instant: number) => Promise<T>): Promise<T[]> {
  const instant = Date.now() + 500;
  return Promise.all(tabs.map((tab) => tab.evaluate(call, instant)));
}

/** Both tabs open the profile and stay there: nobody is asked to log in. */
async function expectBothOnTheProfile(tabs: Page[], username: string): Promise<void> {
  for (const tab of tabs) {
    const profile = new ProfilePage(tab);
    await profile.goto();
    await expect(tab).toHaveURL(at('/profile'));
    await expect(profile.username).toHaveText(username);
  }
}

test('two tabs call the API at the same moment after the access token expired - one refresh serves both and both stay logged in', async ({
  newContext,
}) => {
  const context = await newContext();
  const { tabs, username } = await twoTabsLoggedIn(context);
  await waitForAccessTokenExpiry(tabs[0]);

  const refreshes: Request[] = [];
  context.on('request', (request) => {
    if (isRefreshPost(request)) refreshes.push(request);
  });
  const results = await atTheSameMoment(tabs, async (instant) => {
    await new Promise((resolve) => setTimeout(resolve, instant - Date.now()));
    const res = await (window as unknown as { Latchkey: { api: (path: string) => Promise<Response> } }).Latchkey.api('/account/sessions');
    return { status: res.status, sessions: res.ok ? ((await res.json()) as { current: boolean }[]) : [] };
  });

  for (const result of results) {
    expect(result.status).toBe(200);
    expect(result.sessions.filter((s) => s.current)).toHaveLength(1);
  }
  // Web Locks: the tab that waited for the lock sees the other tab's fresh
  // refresh and retries without one of its own (docs/architecture.md).
  expect(refreshes).toHaveLength(1);
  await expectBothOnTheProfile(tabs, username);
});

test('two tabs POST /auth/refresh with the same refresh cookie at the same moment - both succeed and both stay logged in', async ({
  newContext,
}) => {
  const context = await newContext();
  const { tabs, username } = await twoTabsLoggedIn(context);
  await waitForAccessTokenExpiry(tabs[0]);

  const sent: Request[] = [];
  context.on('request', (request) => {
    if (isRefreshPost(request)) sent.push(request);
  });
  const statuses = await atTheSameMoment(tabs, async (instant) => {
    await new Promise((resolve) => setTimeout(resolve, instant - Date.now()));
    const csrf = document.querySelector('meta[name="csrf-token"]')!.getAttribute('content')!;
    const res = await fetch('/auth/refresh', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'X-CSRF-Token': csrf },
    });
    return res.status;
  });

  // The race is real only if both requests carried the same (old) token.
  const refreshCookie = async (request: Request) =>
    /(?:^|;\s*)[^=;]*refresh[^=;]*=([^;]+)/.exec((await request.allHeaders())['cookie'] ?? '')?.[1];
  expect(sent).toHaveLength(2);
  const [firstToken, secondToken] = await Promise.all(sent.map(refreshCookie));
  expect(firstToken).toBeDefined();
  expect(secondToken).toBe(firstToken);

  expect(statuses).toEqual([200, 200]);
  await expectBothOnTheProfile(tabs, username);

  // And afterwards: whichever new token the cookie jar kept still renews the
  // session when the new access token expires in turn.
  await waitForAccessTokenExpiry(tabs[0]);
  await expectBothOnTheProfile(tabs, username);
});

test('open the profile after the access token expired - the interstitial renews the session and no password is asked', async ({ page }) => {
  const user = uniqueUser();
  const profile = new ProfilePage(page);
  await new SignupPage(page).signUp(user);
  await expect(profile.username).toHaveText(user.username);

  await waitForAccessTokenExpiry(page);
  const visited: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) visited.push(new URL(frame.url()).pathname);
  });
  await profile.goto();

  await expect(page).toHaveURL(at('/profile'));
  await expect(profile.username).toHaveText(user.username);
  expect(visited).toContain('/auth/refresh');
  expect(visited).not.toContain('/auth/login');
});

test('open the profile after the access token expired, without JavaScript - one press of Continue renews the session', async ({
  newContext,
}) => {
  const context = await newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const user = uniqueUser();
  const profile = new ProfilePage(page);
  const refresh = new RefreshPage(page);
  await new SignupPage(page).signUp(user);
  await expect(profile.username).toHaveText(user.username);

  await waitForAccessTokenExpiry(page);
  await profile.goto();
  await expect(page).toHaveURL((url) => url.pathname === '/auth/refresh' && url.searchParams.get('next') === '/profile');
  await expect(refresh.heading).toBeVisible();
  await expect(new LoginPage(page).password).toHaveCount(0);

  await refresh.continue();
  await expect(page).toHaveURL(at('/profile'));
  await expect(profile.username).toHaveText(user.username);
});

test('end a session from a second browser - the first is sent to the log-in form at its next refresh', async ({ newContext }) => {
  const { user, first, second } = await twoBrowsers(newContext);

  await endTheOtherSession(new SessionsPage(second));

  await waitForAccessTokenExpiry(first);
  await new ProfilePage(first).goto();
  await expect(first).toHaveURL(loginFormFor('/profile'));
  await expect(new LoginPage(first).heading).toBeVisible();

  // The browser that ended it is unaffected, across its own refresh too.
  await new ProfilePage(second).goto();
  await expect(second).toHaveURL(at('/profile'));
  await expect(new ProfilePage(second).username).toHaveText(user.username);
});

test('change the password in one browser - the other is sent to the log-in form at its next refresh and this one stays logged in', async ({
  newContext,
}) => {
  const { user, first, second } = await twoBrowsers(newContext);
  const password = new PasswordPage(second);
  const newPassword = `${user.password}-new`;

  await password.goto();
  expect((await password.change(user.password, newPassword)).status()).toBe(303);
  await expect(password.changedNotice).toBeVisible();

  await waitForAccessTokenExpiry(first);
  await new ProfilePage(first).goto();
  await expect(first).toHaveURL(loginFormFor('/profile'));

  await new ProfilePage(second).goto();
  await expect(second).toHaveURL(at('/profile'));
  await expect(new ProfilePage(second).username).toHaveText(user.username);

  // The logged-out browser gets back in with the new password.
  const login = new LoginPage(first);
  expect((await login.logIn(user.username, newPassword)).status()).toBe(303);
  await expect(first).toHaveURL(at('/profile'));
});
