import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import request from 'supertest';

type Agent = ReturnType<typeof request.agent>;

export interface TestUser {
  username: string;
  email: string;
  password: string;
}

/** Every test gets its own user, so tests never depend on each other's data. */
export function uniqueUser(prefix = 'user'): TestUser {
  const id = randomBytes(5).toString('hex');
  return { username: `${prefix}_${id}`, email: `${prefix}_${id}@example.com`, password: `pw-${id}-Secret!` };
}

/** The CSRF token in a page's <meta>. */
export function metaCsrf(html: string): string {
  const token = /<meta name="csrf-token" content="([^"]+)">/.exec(html)?.[1];
  if (!token) throw new Error('no csrf-token meta on the page');
  return token;
}

/** Loads a page as a browser would and returns the CSRF token from its <meta>. */
export async function csrfToken(agent: Agent, path = '/auth/login'): Promise<string> {
  return metaCsrf((await agent.get(path).set('Accept', 'text/html')).text);
}

/** Submits a form like a browser: urlencoded, with the page's CSRF token. */
export async function submitForm(agent: Agent, path: string, fields: Record<string, string>, pageWithForm = path): Promise<Response> {
  const _csrf = await csrfToken(agent, pageWithForm);
  return agent
    .post(path)
    .set('Accept', 'text/html')
    .type('form')
    .send({ ...fields, _csrf });
}

export async function signUp(agent: Agent, user: TestUser = uniqueUser()): Promise<TestUser> {
  const res = await submitForm(agent, '/auth/signup', { ...user });
  if (res.status !== 303) throw new Error(`sign-up failed with ${res.status}: ${res.text.slice(0, 200)}`);
  return user;
}

export async function apiLogin(agent: Agent, user: TestUser) {
  const res = await agent.post('/auth/login').send({ username: user.username, password: user.password });
  if (res.status !== 200) throw new Error(`JSON login failed with ${res.status}`);
  return res.body as { access_token: string; refresh_token: string; token_type: string; expires_in: number };
}

/** The named cookie's Set-Cookie line from a response, for attribute checks. */
export function setCookie(res: Response, namePart: string): string | undefined {
  const header = res.headers['set-cookie'] as unknown as string[] | undefined;
  return header?.find((line) => line.split('=')[0].includes(namePart));
}

/** A Set-Cookie line taken apart: its name, value and attributes (names lower-cased). */
export interface ParsedSetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

export function parseSetCookie(line: string): ParsedSetCookie {
  const [pair, ...attrs] = line.split(';').map((part) => part.trim());
  const eq = pair.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const attr of attrs) {
    const i = attr.indexOf('=');
    if (i === -1) attributes[attr.toLowerCase()] = true;
    else attributes[attr.slice(0, i).toLowerCase()] = attr.slice(i + 1);
  }
  return { name: pair.slice(0, eq), value: decodeURIComponent(pair.slice(eq + 1)), attributes };
}

/** The value the response set for the named cookie (undefined when it set none). */
export function cookieValue(res: Response, namePart: string): string | undefined {
  const line = setCookie(res, namePart);
  return line === undefined ? undefined : parseSetCookie(line).value;
}

/** True when a Set-Cookie line deletes its cookie (empty value, expiry in the past). */
export function clearsCookie(line: string | undefined): boolean {
  if (line === undefined) return false;
  const { value, attributes } = parseSetCookie(line);
  const expires = typeof attributes.expires === 'string' ? Date.parse(attributes.expires) : NaN;
  return value === '' && ((Number.isFinite(expires) && expires < Date.now()) || attributes['max-age'] === '0');
}

/** Signs up in this agent and returns the user with the tokens the sign-up response set. */
export async function signUpWithTokens(agent: Agent, user: TestUser = uniqueUser()) {
  const res = await submitForm(agent, '/auth/signup', { ...user });
  if (res.status !== 303) throw new Error(`sign-up failed with ${res.status}: ${res.text.slice(0, 200)}`);
  const accessToken = cookieValue(res, 'access');
  const refreshToken = cookieValue(res, 'refresh');
  if (!accessToken || !refreshToken) throw new Error('sign-up set no access or refresh cookie');
  return { user, accessToken, refreshToken, res };
}

/** The API client's refresh: the token in a JSON body, no cookies, no CSRF token. */
export function apiRefresh(agent: Agent, refreshToken: string) {
  return agent.post('/auth/refresh').send({ refresh_token: refreshToken });
}

/** The browser's refresh: the refresh cookie in the jar and the page's CSRF token in X-CSRF-Token. */
export async function browserRefresh(agent: Agent) {
  const token = await csrfToken(agent, '/');
  return agent.post('/auth/refresh').set('Accept', 'application/json').set('X-CSRF-Token', token);
}
