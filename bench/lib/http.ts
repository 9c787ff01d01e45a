/**
 * The few single requests the benchmark makes outside of autocannon: create
 * accounts through the real sign-up form, log in, refresh. Only ever to an
 * app instance the runner started on 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';

export interface Account {
  username: string;
  password: string;
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

/** A `name=value` pair from one Set-Cookie header, as a browser would send it back. */
function cookiePair(response: Response, namePart: string): string {
  const header = response.headers.getSetCookie().find((c) => c.split('=')[0].includes(namePart));
  if (!header) throw new Error(`no ${namePart} cookie in the answer`);
  return header.split(';')[0];
}

/**
 * The CSRF secret cookie a browser holds after its first page; pages (and
 * csurf) expect it on every cookie-authenticated request.
 */
export async function csrfCookie(baseUrl: string): Promise<{ cookie: string; token: string }> {
  const page = await fetch(`${baseUrl}/auth/signup`);
  const html = await page.text();
  const token = /<meta name="csrf-token" content="([^"]+)"/.exec(html)?.[1];
  if (!page.ok || !token) throw new Error(`GET /auth/signup answered ${page.status} without a CSRF token`);
  return { cookie: cookiePair(page, 'csrf'), token };
}

/** Signs up through the HTML form, as a person would, so the account is made by the app's own code. */
export async function signup(baseUrl: string, prefix: string): Promise<Account> {
  const account = { username: `${prefix}-${randomBytes(4).toString('hex')}`, password: `Bench!${randomBytes(12).toString('base64url')}` };
  const { cookie, token } = await csrfCookie(baseUrl);
  const response = await fetch(`${baseUrl}/auth/signup`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
    body: new URLSearchParams({
      username: account.username,
      email: `${account.username}@example.com`,
      password: account.password,
      _csrf: token,
    }),
  });
  if (response.status !== 303)
    throw new Error(`sign-up of ${account.username} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return account;
}

/**
 * Logs in through the HTML form and returns the Cookie header a browser then
 * sends to /profile: the access cookie and the CSRF secret cookie (the
 * refresh cookie is confined to /auth, so it is not among them).
 */
export async function browserCookies(baseUrl: string, account: Account): Promise<string> {
  const { cookie, token } = await csrfCookie(baseUrl);
  const response = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
    body: new URLSearchParams({ username: account.username, password: account.password, _csrf: token }),
  });
  if (response.status !== 303) throw new Error(`form login answered ${response.status}`);
  return [cookiePair(response, 'access'), cookiePair(response, 'csrf')].join('; ');
}

export function loginBody(account: Account): string {
  return JSON.stringify({ username: account.username, password: account.password });
}

export async function login(baseUrl: string, account: Account): Promise<Tokens> {
  const response = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: loginBody(account),
  });
  if (response.status !== 200 && response.status !== 201) throw new Error(`login answered ${response.status}`);
  return readTokens(await response.json());
}

/** One API refresh; the status is returned, not thrown, because checks assert on it. */
export async function refresh(baseUrl: string, refreshToken: string): Promise<{ status: number; tokens?: Tokens }> {
  const response = await fetch(`${baseUrl}/auth/refresh`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refresh_token: refreshToken }),
  });
  const body = await response.json().catch(() => undefined);
  return { status: response.status, tokens: response.status === 200 ? readTokens(body) : undefined };
}

export async function profileStatus(baseUrl: string, accessToken: string): Promise<number> {
  const response = await fetch(`${baseUrl}/profile`, { headers: { Authorization: `Bearer ${accessToken}` } });
  await response.arrayBuffer();
  return response.status;
}

export function readTokens(body: unknown): Tokens {
  const { access_token, refresh_token } = (body ?? {}) as { access_token?: unknown; refresh_token?: unknown };
  if (typeof access_token !== 'string' || typeof refresh_token !== 'string') throw new Error('the answer holds no token pair');
  return { accessToken: access_token, refreshToken: refresh_token };
}
