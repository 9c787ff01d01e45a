import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import request from 'supertest';
import type { Response } from 'supertest';
import { AuthCookies } from '../../src/auth/auth-cookies';
import { Session } from '../../src/sessions/schemas/session.schema';
import { User } from '../../src/users/schemas/user.schema';
import { UsersService } from '../../src/users/users.service';
import { TestApp } from './test-app';
import { cookieValue, metaCsrf, setCookie, signUpWithTokens, submitForm, TestUser, uniqueUser } from './users';

/** Helpers for the token-lifecycle suites (docs/architecture.md). */

export type Agent = ReturnType<TestApp['agent']>;

export { setTimeout as sleep } from 'node:timers/promises';

/** A login as the browser holds it: its cookie jar and the tokens its last login response set. */
export interface BrowserLogin {
  agent: Agent;
  user: TestUser;
  accessToken: string;
  refreshToken: string;
  /** The session (token family) id: the first half of the refresh token. */
  sessionId: string;
  res: Response;
}

export const familyOf = (refreshToken: string) => refreshToken.split('.')[0];

/** A new browser (own cookie jar) that sends this User-Agent on every request. */
export function browser(t: TestApp, userAgent?: string): Agent {
  const agent = t.agent();
  if (userAgent) agent.set('User-Agent', userAgent);
  return agent;
}

/** Signs a new user up in a new browser: the first login of that user. */
export async function signUpBrowser(t: TestApp, userAgent?: string, user: TestUser = uniqueUser()): Promise<BrowserLogin> {
  const agent = browser(t, userAgent);
  const { accessToken, refreshToken, res } = await signUpWithTokens(agent, user);
  return { agent, user, accessToken, refreshToken, sessionId: familyOf(refreshToken), res };
}

/** Marks the address verified, as opening the mailed link would: an unverified account cannot add a second factor. */
export async function verifyEmail(t: TestApp, user: TestUser): Promise<void> {
  const users = t.app.get(UsersService);
  const found = await users.findByUsername(user.username);
  if (!found || !(await users.markEmailVerified(found.id, found.email))) throw new Error(`could not verify ${user.email}`);
}

/** signUpBrowser, then the address verified: the arrange step of the second-factor suites. */
export async function signUpVerified(t: TestApp, userAgent?: string, user: TestUser = uniqueUser()): Promise<BrowserLogin> {
  const login = await signUpBrowser(t, userAgent, user);
  await verifyEmail(t, user);
  return login;
}

/** Logs the user in with the login form in a new browser (another login, another family). */
export async function loginBrowser(
  t: TestApp,
  user: TestUser,
  opts: { userAgent?: string; remember?: boolean } = {},
): Promise<BrowserLogin> {
  const agent = browser(t, opts.userAgent);
  const res = await submitForm(agent, '/auth/login', {
    username: user.username,
    password: user.password,
    ...(opts.remember ? { remember: 'on' } : {}),
  });
  if (res.status !== 303) throw new Error(`form login failed with ${res.status}: ${res.text.slice(0, 200)}`);
  const accessToken = cookieValue(res, 'access');
  const refreshToken = cookieValue(res, 'refresh');
  if (!accessToken || !refreshToken) throw new Error('form login set no access or refresh cookie');
  return { agent, user, accessToken, refreshToken, sessionId: familyOf(refreshToken), res };
}

/**
 * A browser refresh from a jar that holds exactly this refresh cookie (and a
 * fresh CSRF cookie and token): what a browser holding a copied or stale
 * cookie would send.
 */
export async function refreshWithCookie(t: TestApp, refreshToken: string, accept: 'json' | 'html' = 'json', next?: string) {
  const page = await request(t.app.getHttpServer()).get('/').set('Accept', 'text/html');
  const csrfCookie = setCookie(page, 'csrf')!.split(';')[0];
  const token = metaCsrf(page.text);
  const cookies = t.app.get(AuthCookies);
  const req = request(t.app.getHttpServer())
    .post('/auth/refresh')
    .set('Cookie', `${csrfCookie}; ${cookies.refreshName}=${encodeURIComponent(refreshToken)}`);
  if (accept === 'json') return req.set('Accept', 'application/json').set('X-CSRF-Token', token);
  return req
    .set('Accept', 'text/html')
    .type('form')
    .send({ _csrf: token, ...(next ? { next } : {}) });
}

/** The sessions collection, to look at what the server stored. */
export function sessionsModel(t: TestApp): Model<Session> {
  return t.app.get<Model<Session>>(getModelToken(Session.name));
}

/** The users collection, to change a user behind the app's back. */
export function usersModel(t: TestApp): Model<User> {
  return t.app.get<Model<User>>(getModelToken(User.name));
}

export async function storedSession(t: TestApp, sessionId: string) {
  return sessionsModel(t).findById(sessionId).lean().exec();
}

/** GET /account/sessions as JSON with a Bearer access token (no cookies needed). */
export function sessionsJson(t: TestApp, accessToken: string) {
  return request(t.app.getHttpServer())
    .get('/account/sessions')
    .set('Accept', 'application/json')
    .set('Authorization', `Bearer ${accessToken}`);
}

/** Makes a user an admin exactly as `npm run user:promote` does, then logs them in again so the token carries the role. */
export async function makeAdmin(t: TestApp, user: TestUser, userAgent?: string): Promise<BrowserLogin> {
  const users = t.app.get(UsersService);
  const found = await users.findByUsername(user.username);
  if (!found) throw new Error(`no user ${user.username}`);
  await users.grantRole(found.id, 'admin');
  return loginBrowser(t, user, { userAgent });
}

export async function userId(t: TestApp, username: string): Promise<string> {
  const found = await t.app.get(UsersService).findByUsername(username);
  if (!found) throw new Error(`no user ${username}`);
  return found.id;
}

/** The Set-Cookie lines of a response (an empty list when it set none). */
export function setCookieLines(res: Response): string[] {
  return (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
}
