import type { BrowserContext } from '@playwright/test';
import { expect, test } from './fixtures';
import { ProfilePage } from './pages/profile.page';
import { SignupPage } from './pages/signup.page';
import { uniqueUser } from './support/users';

/**
 * Cookie tossing, as a hostile sibling subdomain would do it: a second
 * refresh cookie with our name on the more specific Path=/auth/refresh, which
 * Chromium sends before the real one. The victim's next refresh must not log
 * them into the attacker's account; the server refuses it and clears both.
 * (docs/security.md; the HTTP details are in
 * test/security/cookie-tossing.spec.ts.)
 */
async function spoilAccessToken(context: BrowserContext): Promise<void> {
  const access = (await context.cookies()).find((c) => c.name.includes('access'))!;
  const [header, payload] = access.value.split('.');
  await context.addCookies([{ ...access, value: `${header}.${payload}.AAAA` }]);
}

test("a refresh cookie planted on Path=/auth/refresh - the victim never sees the attacker's profile, and both refresh cookies are gone", async ({
  page,
  context,
  newContext,
  baseURL,
}) => {
  // The attacker logs into their own account and takes their refresh token.
  const attacker = uniqueUser('attacker');
  const attackerContext = await newContext();
  await new SignupPage(await attackerContext.newPage()).signUp(attacker);
  const attackersRefresh = (await attackerContext.cookies()).find((c) => c.name.includes('refresh'))!;

  const victim = uniqueUser('victim');
  const profile = new ProfilePage(page);
  await new SignupPage(page).signUp(victim);
  await expect(profile.username).toHaveText(victim.username);

  await context.addCookies([{ ...attackersRefresh, path: '/auth/refresh', domain: new URL(baseURL).hostname }]);
  const refreshCookies = async () => (await context.cookies()).filter((c) => c.name.includes('refresh'));
  expect((await refreshCookies()).map((c) => c.path).sort()).toEqual(['/auth', '/auth/refresh']);

  // The access token runs out; the next page goes through the refresh interstitial.
  await spoilAccessToken(context);
  const refused = page.waitForResponse((r) => new URL(r.url()).pathname === '/auth/refresh');
  await profile.goto('/profile');
  expect((await refused).status()).toBe(400);

  await expect(page.getByText('two login cookies')).toBeVisible();
  await expect(page.getByText(attacker.username)).toHaveCount(0);
  expect(await refreshCookies()).toEqual([]);
  expect((await context.cookies()).filter((c) => c.name.includes('access'))).toEqual([]);

  // Nothing of the attacker's login is left in this browser: the profile asks for a log-in.
  await profile.goto('/profile');
  await expect(page).toHaveURL((url) => url.pathname === '/auth/login');
});
