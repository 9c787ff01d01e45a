/**
 * `npm run bench -- --data N`: does a request cost more once the database
 * holds N other users and N other sessions? Each hot request is timed one at
 * a time (p50) on an empty database and again after a bulk load, in the same
 * run, on FerretDB over SQLite and over PostgreSQL. See docs/performance.md.
 */
import { hashSync } from 'bcrypt';
import mongoose from 'mongoose';
import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { identityId } from '../../src/users/identity';
import { Account, login, refresh, signup } from '../lib/http';
import { DEFAULT_DATA_SIZE, Options } from '../lib/options';
import { appNodeArgs, Cleanup, Engine, newSecrets, startApp, startDatabase } from '../lib/processes';
import { UNLIMITED } from '../lib/context';

export const DATA_REQUESTS = ['login', 'refresh', 'sessions list', 'session check', 'admin search'] as const;
type Request = (typeof DATA_REQUESTS)[number];

/** The bar of the issue: a hot path may grow by at most this factor with N users and sessions. */
export const FLAT_BOUND = 1.5;

export interface DataScaleRow {
  engine: Engine;
  request: Request;
  what: string;
  emptyP50: number;
  loadedP50: number;
  growth: number;
  /** null for the admin search, which may scan (substring match) and only has to stay paged. */
  met: boolean | null;
}

export interface DataScaleResults {
  n: number;
  rows: DataScaleRow[];
  loadSeconds: Partial<Record<Engine, number>>;
  notes: string[];
}

const WHAT: Record<Request, string> = {
  login: 'POST /auth/login (JSON) of the user created last',
  refresh: 'POST /auth/refresh (JSON), one token chain',
  'sessions list': 'GET /account/sessions (JSON, Bearer)',
  'session check': 'GET /account/password (Bearer): the @Sensitive() check of the login, then the page',
  'admin search': 'GET /admin/users?q=<that username> (JSON, admin Bearer)',
};
const SAMPLES: Record<Request, number> = { login: 15, refresh: 41, 'sessions list': 41, 'session check': 41, 'admin search': 3 };
/** The search reads every user twice (page and count), seconds per request once N is large. */
const WARMUP: Record<Request, number> = { login: 3, refresh: 3, 'sessions list': 3, 'session check': 3, 'admin search': 1 };
const BATCH = 1_000;

export async function dataScale(
  options: Options,
  cleanup: Cleanup,
  tempDir: string,
  log: (line: string) => void,
): Promise<DataScaleResults> {
  const n = options.dataSize ?? DEFAULT_DATA_SIZE;
  const results: DataScaleResults = { n, rows: [], loadSeconds: {}, notes: [] };
  // One hash for every loaded user: bcrypt at the app's cost, computed once.
  const passwordHash = hashSync(`Loaded!${randomBytes(6).toString('hex')}`, options.bcryptCost);
  for (const engine of ['sqlite', 'postgres'] as const) {
    const db = await startDatabase(cleanup, tempDir, engine).catch((error: Error) => {
      results.notes.push(`${engine}: not measured, the database did not start (${error.message.split('\n')[0]})`);
      return undefined;
    });
    if (!db) continue;
    // Two databases on one server, each with its own app instance: one stays
    // empty, one gets the load. Their requests alternate one by one, so both
    // see the same moments of this shared machine and the growth ratio is not
    // a comparison of a quiet minute with a busy one.
    const server = db.uri.replace(/[^/]*$/, '');
    const client = await new mongoose.mongo.MongoClient(server).connect();
    const apps = [];
    try {
      for (const name of ['empty', 'loaded'] as const) {
        apps.push(
          await startApp(cleanup, tempDir, {
            name: `data-${engine}-${name}`,
            appDir: options.appDir,
            productionNodeArgs: appNodeArgs(options),
            mongodbUri: `${server}latchkey-${name}`,
            bcryptCost: options.bcryptCost,
            secrets: newSecrets(),
            rateLimitPerIp: UNLIMITED,
            rateLimitPerAccount: UNLIMITED,
          }),
        );
      }
      const [empty, loaded] = apps;
      log(`data scale, FerretDB on ${engine}: loading ${n} users and ${n} sessions`);
      const started = performance.now();
      await load(client.db('latchkey-loaded'), n, passwordHash, (done) => log(`  ${done} of ${n} loaded`));
      results.loadSeconds[engine] = (performance.now() - started) / 1000;
      log(`data scale, FerretDB on ${engine}: measuring, alternating between the empty and the loaded database`);
      const targets = await Promise.all(
        [empty, loaded].map(async (app) => ({
          baseUrl: app.baseUrl,
          adminToken: await makeAdmin(app.baseUrl, client.db(app === empty ? 'latchkey-empty' : 'latchkey-loaded')),
          // Created after the load, so on the loaded side it is the newest of N + 2 users.
          account: await signup(app.baseUrl, 'measured'),
        })),
      );
      const [emptyP50, loadedP50] = await measurePaired(targets);
      for (const request of DATA_REQUESTS) {
        const growth = loadedP50[request] / emptyP50[request];
        results.rows.push({
          engine,
          request,
          what: WHAT[request],
          emptyP50: emptyP50[request],
          loadedP50: loadedP50[request],
          growth,
          met: request === 'admin search' ? null : growth <= FLAT_BOUND,
        });
      }
    } finally {
      await client.close();
      for (const app of apps) await app.stop();
      await db.stop();
    }
  }
  return results;
}

/** An admin made the way `npm run user:promote` does (a role added in the database), logged in afterwards. */
async function makeAdmin(baseUrl: string, db: mongoose.mongo.Db): Promise<string> {
  const admin = await signup(baseUrl, 'admin');
  await db.collection('users').updateOne({ usernameKey: admin.username.toLowerCase() }, { $addToSet: { roles: 'admin' } });
  return (await login(baseUrl, admin)).accessToken;
}

interface Target {
  baseUrl: string;
  account: Account;
  adminToken: string;
}

/** Each request's steps for one app: the measured user's own token chain, lists and pages. */
async function steps(target: Target): Promise<Record<Request, () => Promise<void>>> {
  const { baseUrl, account, adminToken } = target;
  let { accessToken, refreshToken } = await login(baseUrl, account);
  const get = (path: string, token: () => string) => async () => {
    const response = await fetch(`${baseUrl}${path}`, { headers: { Authorization: `Bearer ${token()}`, Accept: 'application/json' } });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
  };
  return {
    refresh: async () => {
      const answer = await refresh(baseUrl, refreshToken);
      if (!answer.tokens) throw new Error(`refresh answered ${answer.status}`);
      ({ accessToken, refreshToken } = answer.tokens);
    },
    'sessions list': get('/account/sessions', () => accessToken),
    'session check': get('/account/password', () => accessToken),
    'admin search': get(`/admin/users?q=${encodeURIComponent(account.username)}`, () => adminToken),
    login: async () => void (await login(baseUrl, account)),
  };
}

/** p50 of each request on each target, the two targets' requests alternating one by one. */
async function measurePaired(targets: Target[]): Promise<Array<Record<Request, number>>> {
  const all = await Promise.all(targets.map(steps));
  const p50s = targets.map(() => ({}) as Record<Request, number>);
  // Logins last: each one adds a session to the list measured before.
  for (const request of ['refresh', 'sessions list', 'session check', 'admin search', 'login'] as const) {
    const times: number[][] = targets.map(() => []);
    for (let i = 0; i < WARMUP[request] + SAMPLES[request]; i++) {
      for (let t = 0; t < targets.length; t++) {
        const start = performance.now();
        await all[t][request]();
        if (i >= WARMUP[request]) times[t].push(performance.now() - start);
      }
    }
    times.forEach((samples, t) => (p50s[t][request] = median(samples)));
  }
  return p50s;
}

/**
 * N users (with their identities), N sessions and their per-user lists, in
 * the shapes the app writes (src/users, src/sessions), through the driver's
 * insertMany in batches: loading through the HTTP API would take hours of
 * bcrypt.
 */
async function load(db: mongoose.mongo.Db, n: number, passwordHash: string, progress: (done: number) => void): Promise<void> {
  const now = new Date();
  const day = 86_400_000;
  const tag = randomBytes(3).toString('hex');
  for (let from = 0; from < n; from += BATCH) {
    const users = [];
    const identities = [];
    const sessions = [];
    const lists = [];
    for (let i = from; i < Math.min(n, from + BATCH); i++) {
      const _id = new mongoose.Types.ObjectId();
      const username = `load-${tag}-${i}`;
      const email = `${username}@example.com`;
      users.push({
        _id,
        username,
        usernameKey: username,
        email,
        emailKey: email,
        passwordHash,
        roles: ['user'],
        disabled: false,
        createdAt: now,
        updatedAt: now,
      });
      identities.push(
        { _id: identityId('username', username), userId: _id, at: now },
        { _id: identityId('email', email), userId: _id, at: now },
      );
      const sessionId = randomBytes(16).toString('base64url');
      sessions.push({
        _id: sessionId,
        userId: _id,
        parentHash: null,
        childHashes: [createHash('sha256').update(randomBytes(32)).digest('base64url')],
        siblingHashes: [],
        siblingsValidUntil: null,
        retiredHashes: [],
        generation: 0,
        persistent: false,
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) bench',
        ip: '127.0.0.1',
        createdAt: now,
        lastUsedAt: now,
        expiresAt: new Date(now.getTime() + 14 * day),
        idleExpiresAt: new Date(now.getTime() + 7 * day),
        revokedAt: null,
        revokedReason: null,
      });
      lists.push({ _id, entries: [{ id: sessionId, at: now }], generation: 0 });
    }
    await Promise.all([
      db.collection('users').insertMany(users, { ordered: false }),
      db.collection('user_identities').insertMany(identities as never[], { ordered: false }),
      db.collection('sessions').insertMany(sessions as never[], { ordered: false }),
      db.collection('user_sessions').insertMany(lists, { ordered: false }),
    ]);
    if ((from + BATCH) % (10 * BATCH) === 0 || from + BATCH >= n) progress(Math.min(n, from + BATCH));
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function dataScaleMarkdown(results: DataScaleResults, command: string, startedAt: string): string {
  const lines = [
    `Made by \`${command}\` on ${startedAt}: N = ${results.n.toLocaleString('en')} users and as many sessions, bulk-loaded` +
      ` (${Object.entries(results.loadSeconds)
        .map(([engine, s]) => `${engine} ${s.toFixed(0)} s`)
        .join(', ')}).` +
      ' Each figure is the median of single requests, one at a time, for a user created after the load;' +
      ' the empty and the loaded database are on the same server, and their requests alternate.',
    '',
    `| engine | request | empty p50 ms | N loaded p50 ms | growth | within ×${FLAT_BOUND}? |`,
    '|---|---|---:|---:|---:|:-:|',
  ];
  for (const r of results.rows) {
    const met = r.met === null ? 'may scan (paged)' : r.met ? '**yes**' : '**no**';
    lines.push(
      `| FerretDB on ${r.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ${r.what} | ${r.emptyP50.toFixed(2)} | ${r.loadedP50.toFixed(2)} | ×${r.growth.toFixed(2)} | ${met} |`,
    );
  }
  for (const note of results.notes) lines.push('', `- ${note}`);
  return lines.join('\n');
}
