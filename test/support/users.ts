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

/** Loads a page as a browser would and returns the CSRF token from its <meta>. */
export async function csrfToken(agent: Agent, path = '/auth/login'): Promise<string> {
  const page = await agent.get(path).set('Accept', 'text/html');
  const token = /<meta name="csrf-token" content="([^"]+)">/.exec(page.text)?.[1];
  if (!token) throw new Error(`no csrf-token meta on ${path} (status ${page.status})`);
  return token;
}

/** Submits a form like a browser: urlencoded, with the page's CSRF token. */
export async function submitForm(agent: Agent, path: string, fields: Record<string, string>, pageWithForm = path): Promise<Response> {
  const _csrf = await csrfToken(agent, pageWithForm);
  return agent.post(path).set('Accept', 'text/html').type('form').send({ ...fields, _csrf });
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
