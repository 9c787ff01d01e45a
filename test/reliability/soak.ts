import mongoose from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpClient } from '../support/http-client';
import { uniqueUser } from '../support/users';

/**
 * Many virtual users, each in a loop signing up, reading the profile,
 * refreshing and logging out as a browser, then logging in, refreshing and
 * logging out as an API client. Every answer is counted; the database is
 * checked afterwards. Loopback only, bounded by `durationMs`: a loop that
 * has started finishes, none starts after the deadline.
 *
 * With `outage`, the database is killed half-way through and started again
 * `downMs` later. Virtual users then behave like patient clients: a 5xx is
 * retried (every half second, for up to a minute) rather than given up on.
 * 5xx answers to requests sent or answered between the kill and the app
 * being ready again (plus RECOVERY_GRACE_MS) are the outage's, counted apart;
 * any other is a failure, as is a logged-in user being sent back to log in.
 */
export interface SoakOptions {
  url: string;
  databaseUri: string;
  virtualUsers: number;
  durationMs: number;
  outage?: DatabaseOutage;
}

export interface DatabaseOutage {
  downMs: number;
  kill(): Promise<void>;
  start(): Promise<void>;
}

export interface SoakReport {
  iterations: number;
  requests: number;
  /** 5xx answers outside the outage window. */
  serverErrors: number;
  /** Which step got each of them, and when (ms from the start). */
  serverErrorLog: string[];
  /** 5xx answers during the outage window, each retried, by status. */
  outageErrors: Record<string, number>;
  /** When the database was down, in ms from the start, until the app was ready again. */
  outageWindow?: { from: number; to: number };
  /** A refresh refused during an honest flow: a false theft alarm. */
  falseReuse: number;
  /** A logged-in user told to log in again (401, or a redirect to the login form). */
  loginsLost: number;
  /** Any answer other than the one each step expects, as "step status" → count. */
  unexpected: Record<string, number>;
  inconsistencies: string[];
  /**
   * Sign-ups cut off by the outage after reserving their username and before
   * writing the user: the name stays held until the database answers again
   * and the sign-up's background release runs (docs/databases.md), so a
   * retry in between finds it taken and its login fails.
   */
  namesHeldByCutSignUps: number;
}

const RETRY_BUDGET_MS = 60_000;
const RETRY_PAUSE_MS = 500;
/**
 * How long the outage's effects may outlast /readyz answering again: a
 * pooled connection that died with the database, and above all a session
 * write cut off between its claim and its update (by the crash, or by such a
 * dead connection just after it). That claim holds its session until it
 * counts as abandoned (ABANDONED_CLAIM_MS, 10 s), and a writer that meets it
 * gives up after its contention budget (5 s), both in
 * src/sessions/sessions.service.ts.
 */
const RECOVERY_GRACE_MS = 16_000;

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const report: SoakReport = {
    iterations: 0,
    requests: 0,
    serverErrors: 0,
    serverErrorLog: [],
    outageErrors: {},
    falseReuse: 0,
    loginsLost: 0,
    unexpected: {},
    inconsistencies: [],
    namesHeldByCutSignUps: 0,
  };
  const usernames: string[] = [];
  const started = Date.now();
  const deadline = started + options.durationMs;
  let outage: { from: number; to?: number } | undefined;
  const inOutage = (at: number) => !!outage && at >= outage.from && at <= (outage.to ?? Infinity) + RECOVERY_GRACE_MS;

  /**
   * Sends one step, retrying a 5xx, and checks the final answer. `loggedIn`
   * marks steps that need the login to still be there.
   */
  const step = async (name: string, send: () => Promise<Response>, status: number, loggedIn = false): Promise<Response> => {
    const giveUp = Date.now() + RETRY_BUDGET_MS;
    for (;;) {
      const sentAt = Date.now();
      const res = await send();
      report.requests++;
      if (res.status >= 500) {
        // Sent or answered during the outage: a request sent just before the
        // kill may wait on the database for a while before it fails.
        if (inOutage(sentAt) || inOutage(Date.now())) report.outageErrors[res.status] = (report.outageErrors[res.status] ?? 0) + 1;
        else {
          report.serverErrors++;
          report.serverErrorLog.push(`${name} ${res.status} at ${Date.now() - started} ms`);
        }
        if (Date.now() < giveUp) {
          await res.body?.cancel();
          await sleep(RETRY_PAUSE_MS);
          continue;
        }
      }
      if (name.includes('refresh') && res.status === 401) report.falseReuse++;
      const sentToLogin = res.status === 401 || (res.status === 303 && (res.headers.get('location') ?? '').startsWith('/auth/'));
      if (loggedIn && status !== res.status && sentToLogin) report.loginsLost++;
      if (res.status !== status) report.unexpected[`${name} ${res.status}`] = (report.unexpected[`${name} ${res.status}`] ?? 0) + 1;
      return res;
    }
  };

  const iteration = async (): Promise<void> => {
    const user = uniqueUser('soak');
    const browser = new HttpClient(options.url);
    await step('signup page', () => browser.get('/auth/signup'), 200);
    // A sign-up whose answer was lost in the outage may have created the
    // account: its retry then meets 409, and the person logs in instead.
    let signup = await step('signup', () => browser.postForm('/auth/signup', { ...user }), 303);
    if (signup.status === 409 && report.unexpected['signup 409']) {
      report.unexpected['signup 409']--;
      if (!report.unexpected['signup 409']) delete report.unexpected['signup 409'];
      await step('login page', () => browser.get('/auth/login'), 200);
      const label = 'form login after a lost sign-up';
      signup = await step(label, () => browser.postForm('/auth/login', { username: user.username, password: user.password }), 303);
      if (signup.status === 401) {
        report.namesHeldByCutSignUps++;
        if (!--report.unexpected[`${label} 401`]) delete report.unexpected[`${label} 401`];
      }
    }
    if (signup.status !== 303) return;
    usernames.push(user.username);
    await step('profile page', () => browser.get('/profile'), 200, true);
    await step('browser refresh', () => browser.postJson('/auth/refresh', {}), 200, true);
    await step('profile json', () => browser.get('/profile', 'application/json'), 200, true);
    await step('form logout', () => browser.postForm('/auth/logout', {}), 303);

    const api = (path: string, body?: unknown, token?: string) => () =>
      fetch(`${options.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const login = await step('api login', api('/auth/login', { username: user.username, password: user.password }), 200);
    if (login.status !== 200) return;
    const first = (await login.json()) as { access_token: string; refresh_token: string };
    await step('api profile', api('/profile', undefined, first.access_token), 200, true);
    const refresh = await step('api refresh', api('/auth/refresh', { refresh_token: first.refresh_token }), 200, true);
    const second = refresh.status === 200 ? ((await refresh.json()) as typeof first) : first;
    await step('api logout', api('/auth/logout', { refresh_token: second.refresh_token }, second.access_token), 204);
    report.iterations++;
  };

  const restart = async (): Promise<void> => {
    if (!options.outage) return;
    await sleep(options.durationMs / 2);
    outage = { from: Date.now() };
    await options.outage.kill();
    await sleep(options.outage.downMs);
    await options.outage.start();
    const giveUp = Date.now() + RETRY_BUDGET_MS;
    while (
      (await fetch(`${options.url}/readyz`).then(
        (r) => r.status,
        () => 0,
      )) !== 200 &&
      Date.now() < giveUp
    )
      await sleep(100);
    outage.to = Date.now();
    report.outageWindow = { from: outage.from - started, to: outage.to - started };
  };

  await Promise.all([
    restart(),
    ...Array.from({ length: options.virtualUsers }, async () => {
      while (Date.now() < deadline) await iteration();
    }),
  ]);
  report.inconsistencies = await checkDatabase(options.databaseUri, usernames, outage);
  return report;
}

/**
 * Every account written once; every login written and ended by its logout,
 * none by a reuse alarm. A login whose answer was lost in the outage (the
 * client retried and got another) may be left over, but only if it was
 * created during the outage window.
 */
async function checkDatabase(uri: string, usernames: string[], outage?: { from: number; to?: number }): Promise<string[]> {
  const client = await new mongoose.mongo.MongoClient(uri).connect();
  const duringOutage = (at: Date) =>
    !!outage && at.getTime() >= outage.from - RECOVERY_GRACE_MS && at.getTime() <= (outage.to ?? Infinity) + RECOVERY_GRACE_MS;
  try {
    const db = client.db();
    const problems: string[] = [];
    const users = await db
      .collection('users')
      .find({ usernameKey: { $in: usernames.map((u) => u.toLowerCase()) } })
      .project({ _id: 1, usernameKey: 1 })
      .toArray();
    if (users.length !== usernames.length) problems.push(`${usernames.length} sign-ups but ${users.length} accounts`);
    const sessions = await db
      .collection('sessions')
      .find({ userId: { $in: users.map((u) => u._id) } })
      .project({ userId: 1, createdAt: 1, revokedAt: 1, revokedReason: 1 })
      .toArray();
    const expected = sessions.filter((s) => !duringOutage(s.createdAt as Date));
    const leftOver = sessions.length - expected.length;
    if (sessions.length < users.length * 2 || expected.length > users.length * 2) {
      problems.push(`${users.length * 2} logins expected but ${sessions.length} sessions (${leftOver} created during the outage)`);
    }
    const live = expected.filter((s) => !s.revokedAt).length;
    if (live > 0) problems.push(`${live} sessions still live after their logout`);
    const reused = sessions.filter((s) => s.revokedReason === 'reuse').length;
    if (reused > 0) problems.push(`${reused} sessions ended by a false reuse alarm`);
    return problems;
  } finally {
    await client.close();
  }
}
