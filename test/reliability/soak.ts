import mongoose from 'mongoose';
import { HttpClient } from '../support/http-client';
import { uniqueUser } from '../support/users';

/**
 * many virtual users, each in a loop signing up, reading
 * the profile, refreshing and logging out as a browser, then logging in,
 * refreshing and logging out as an API client. Every answer is counted; the
 * database is checked afterwards. Loopback only, bounded by `durationMs`:
 * a loop that has started finishes, none starts after the deadline.
 */
export interface SoakOptions {
  url: string;
  databaseUri: string;
  virtualUsers: number;
  durationMs: number;
}

export interface SoakReport {
  iterations: number;
  requests: number;
  serverErrors: number;
  /** A refresh refused during an honest flow: a false theft alarm. */
  falseReuse: number;
  /** Any answer other than the one each step expects, as "step status" → count. */
  unexpected: Record<string, number>;
  inconsistencies: string[];
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const report: SoakReport = { iterations: 0, requests: 0, serverErrors: 0, falseReuse: 0, unexpected: {}, inconsistencies: [] };
  const usernames: string[] = [];
  const deadline = Date.now() + options.durationMs;

  const expect = (step: string, res: Response, status: number): void => {
    report.requests++;
    if (res.status >= 500) report.serverErrors++;
    if (step.includes('refresh') && res.status === 401) report.falseReuse++;
    if (res.status !== status) report.unexpected[`${step} ${res.status}`] = (report.unexpected[`${step} ${res.status}`] ?? 0) + 1;
  };

  const iteration = async (): Promise<void> => {
    const user = uniqueUser('soak');
    const browser = new HttpClient(options.url);
    expect('signup page', await browser.get('/auth/signup'), 200);
    const signup = await browser.postForm('/auth/signup', { ...user });
    expect('signup', signup, 303);
    if (signup.status !== 303) return;
    usernames.push(user.username);
    expect('profile page', await browser.get('/profile'), 200);
    expect('browser refresh', await browser.postJson('/auth/refresh', {}), 200);
    expect('profile json', await browser.get('/profile', 'application/json'), 200);
    expect('form logout', await browser.postForm('/auth/logout', {}), 303);

    const api = (path: string, body?: unknown, token?: string) =>
      fetch(`${options.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const login = await api('/auth/login', { username: user.username, password: user.password });
    expect('api login', login, 200);
    if (login.status !== 200) return;
    const first = (await login.json()) as { access_token: string; refresh_token: string };
    expect('api profile', await api('/profile', undefined, first.access_token), 200);
    const refresh = await api('/auth/refresh', { refresh_token: first.refresh_token });
    expect('api refresh', refresh, 200);
    const second = refresh.status === 200 ? ((await refresh.json()) as typeof first) : first;
    expect('api logout', await api('/auth/logout', { refresh_token: second.refresh_token }, second.access_token), 204);
    report.iterations++;
  };

  await Promise.all(
    Array.from({ length: options.virtualUsers }, async () => {
      while (Date.now() < deadline) await iteration();
    }),
  );
  report.inconsistencies = await checkDatabase(options.databaseUri, usernames);
  return report;
}

/** Every account written once; every login written and ended by its logout, none by a reuse alarm. */
async function checkDatabase(uri: string, usernames: string[]): Promise<string[]> {
  const client = await new mongoose.mongo.MongoClient(uri).connect();
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
      .project({ userId: 1, revokedAt: 1, revokedReason: 1 })
      .toArray();
    if (sessions.length !== users.length * 2) problems.push(`${users.length * 2} logins expected but ${sessions.length} sessions`);
    const live = sessions.filter((s) => !s.revokedAt).length;
    if (live > 0) problems.push(`${live} sessions still live after their logout`);
    const reused = sessions.filter((s) => s.revokedReason === 'reuse').length;
    if (reused > 0) problems.push(`${reused} sessions ended by a false reuse alarm`);
    return problems;
  } finally {
    await client.close();
  }
}
