import { setTimeout as sleep } from 'node:timers/promises';
import { stepAt, TOTP_PERIOD_SECONDS, totpCode } from '../../src/mfa/totp';
import { Agent } from './lifecycle';
import { csrfToken, submitForm, TestUser } from './users';

/** Helpers for the second-factor suites: codes are computed from the secret, as a phone would (RFC 6238). */

const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

/** The code of the step `offset` steps from now (-1: the previous, +1: the next). */
export const codeAt = (secret: string, offset = 0) => totpCode(secret, Date.now() + offset * STEP_MS);

/**
 * Waits until at least 3 s into a 30 s step and `beforeEndMs` before its end,
 * so a code computed here falls in the same step when the server checks it,
 * even on a busy machine: tests of drift and replay then cannot flake on a
 * boundary.
 */
export async function awayFromStepEdge(beforeEndMs = 4_000): Promise<void> {
  const into = Date.now() % STEP_MS;
  if (into < 3_000) await sleep(3_000 - into);
  else if (into > STEP_MS - beforeEndMs) await sleep(STEP_MS - into + 3_000);
}

/** Waits for the next time step, for tests that need one more fresh code. */
export async function nextStep(): Promise<void> {
  const step = stepAt(Date.now());
  await sleep(STEP_MS - (Date.now() % STEP_MS) + 3_000);
  if (stepAt(Date.now()) === step) throw new Error('the clock did not move');
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

export function recoveryCodesIn(html: string): string[] {
  return [...html.matchAll(/<li><code>([0-9a-z]{5}-[0-9a-z]{5})<\/code><\/li>/g)].map((m) => m[1]);
}

/** The password half of a form login: the browser is sent to /auth/2fa. */
export async function passwordStep(agent: Agent, user: TestUser, extra: Record<string, string> = {}) {
  const _csrf = await csrfToken(agent, '/auth/login');
  return agent.post('/auth/login').set('Accept', 'text/html').type('form').send({ username: user.username, password: user.password, _csrf, ...extra });
}

/** The code half of a form login, with the CSRF token of the /auth/2fa page. */
export async function codeStep(agent: Agent, code: string, next?: string) {
  const _csrf = await csrfToken(agent, '/auth/2fa');
  return agent.post('/auth/2fa').set('Accept', 'text/html').type('form').send({ code, _csrf, ...(next ? { next } : {}) });
}

export function jsonPasswordStep(agent: Agent, user: TestUser) {
  return agent.post('/auth/login').send({ username: user.username, password: user.password });
}

export function jsonCodeStep(agent: Agent, mfaToken: string, code: string) {
  return agent.post('/auth/2fa').send({ mfa_token: mfaToken, code });
}
