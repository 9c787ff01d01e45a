import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ReauthProof } from '../../src/mfa/schemas/reauth-proof.schema';
import { Agent, sessionsModel, signUpVerified } from './lifecycle';
import type { TestApp } from './test-app';
import { awayFromStepEdge, codeAt } from './totp-clock';
import { csrfToken, submitForm, TestUser } from './users';

/** Helpers for the second-factor suites. */
export { awayFromStepEdge, codeAt };

/** Makes a login's last proof of identity older than REAUTH_WINDOW, as if 11 minutes had passed. */
export async function ageLogin(t: TestApp, sessionId: string): Promise<void> {
  const longAgo = new Date(Date.now() - 11 * 60_000);
  await sessionsModel(t).updateOne({ _id: sessionId }, { $set: { createdAt: longAgo } });
  await t.app.get<Model<ReauthProof>>(getModelToken(ReauthProof.name)).updateOne({ _id: sessionId }, { $set: { at: longAgo } });
}

/** The secret shown on the set-up page, read the way a person types it. */
export async function startTotpSetup(agent: Agent): Promise<string> {
  const page = await agent.get('/account/2fa/totp').set('Accept', 'text/html');
  if (page.status !== 200) throw new Error(`set-up page answered ${page.status}`);
  const text = /data-testid="totp-secret">([^<]+)</.exec(page.text)?.[1];
  if (!text) throw new Error('no secret on the set-up page');
  return text.replace(/\s+/g, '');
}

export interface TwoFactorAccount {
  secret: string;
  recoveryCodes: string[];
}

/**
 * Turns on TOTP from a logged-in browser with a code of the previous step,
 * so the current and next steps are still free for the test's own logins.
 */
export async function enableTotp(agent: Agent): Promise<TwoFactorAccount> {
  await awayFromStepEdge();
  const secret = await startTotpSetup(agent);
  const res = await submitForm(agent, '/account/2fa/totp', { code: codeAt(secret, -1) }, '/account/2fa/totp');
  if (res.status !== 200) throw new Error(`confirming TOTP answered ${res.status}: ${res.text.slice(0, 300)}`);
  return { secret, recoveryCodes: recoveryCodesIn(res.text) };
}

/** A new user, address verified, who has just turned TOTP on, still logged in. */
export async function signUpWithTotp(t: TestApp) {
  const login = await signUpVerified(t);
  return { ...login, ...(await enableTotp(login.agent)) };
}

export function recoveryCodesIn(html: string): string[] {
  return [...html.matchAll(/<li><code>([0-9a-z]{5}-[0-9a-z]{5})<\/code><\/li>/g)].map((m) => m[1]);
}

/** The password half of a form login: the browser is sent to /auth/2fa. */
export async function passwordStep(agent: Agent, user: TestUser, extra: Record<string, string> = {}) {
  const _csrf = await csrfToken(agent, '/auth/login');
  return agent
    .post('/auth/login')
    .set('Accept', 'text/html')
    .type('form')
    .send({ username: user.username, password: user.password, _csrf, ...extra });
}

/** The code half of a form login, with the CSRF token of the /auth/2fa page. */
export async function codeStep(agent: Agent, code: string, next?: string) {
  const _csrf = await csrfToken(agent, '/auth/2fa');
  return agent
    .post('/auth/2fa')
    .set('Accept', 'text/html')
    .type('form')
    .send({ code, _csrf, ...(next ? { next } : {}) });
}

export function jsonPasswordStep(agent: Agent, user: TestUser) {
  return agent.post('/auth/login').send({ username: user.username, password: user.password });
}

export function jsonCodeStep(agent: Agent, mfaToken: string, code: string) {
  return agent.post('/auth/2fa').send({ mfa_token: mfaToken, code });
}
