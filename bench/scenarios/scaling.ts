/**
 * Scenario 6: two app processes on two ports, one database, one Redis.
 *  6a. Scenario 2 on one instance, then across both (same total connections).
 *  6b. A token family whose refreshes alternate between the instances keeps
 *      rotating, and reuse is still detected and revokes the family.
 *  6c. Login throttling counts are shared through Redis (REDIS_URL): attempts
 *      spread over both instances meet one limit.
 */
import mongoose from 'mongoose';
import { cpus } from 'node:os';
import type { Bench } from '../lib/context';
import { Account, login, loginBody, profileStatus, refresh, signup } from '../lib/http';
import { runLoad, Sample } from '../lib/load';
import { AppInstance, waitIdle } from '../lib/processes';
import type { Check, Row } from '../lib/report';
import { failureNote, pairedRatio, rounds, summarise } from './shared';

/** Per-account login limit of the two instances: small, so 6c reaches it quickly. */
const ACCOUNT_LIMIT = 5;
const THROTTLE_ATTEMPTS = 2 * ACCOUNT_LIMIT;

export async function scalingScenario(bench: Bench): Promise<{ rows: Row[]; checks: Check[] }> {
  bench.log(
    `scenario 6: starting two instances${bench.redisUrl ? ' sharing Redis' : ' (no redis-server: throttling counts stay per instance)'}`,
  );
  const overrides = { rateLimitPerAccount: `${ACCOUNT_LIMIT}/1m`, redisUrl: bench.redisUrl };
  const [a, b] = await Promise.all([bench.startApp('instance-a', overrides), bench.startApp('instance-b', overrides)]);
  try {
    const row = await throughput(bench, a, b);
    const checks = [await rotationAcrossInstances(bench, a, b, bench.account!), await sharedThrottling(bench, a, b)];
    const checkRows: Row[] = checks.map((c) => ({
      id: c.id,
      scenario: c.name,
      rps: null,
      p50: null,
      p99: null,
      ceiling: { label: '—', rps: null },
      ratio: null,
      target: 'all assertions hold',
      met: c.passed,
      peakRssMb: null,
      notes: c.passed === null ? [c.detail[0]] : [],
    }));
    return { rows: [row, ...checkRows], checks };
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
}

async function throughput(bench: Bench, a: AppInstance, b: AppInstance): Promise<Row> {
  const { options } = bench;
  const { accessToken } = await login(a.baseUrl, bench.account!);
  const spec = (app: AppInstance, connections: number) => ({
    baseUrl: app.baseUrl,
    path: '/profile',
    headers: { Authorization: `Bearer ${accessToken}` },
    connections,
  });
  const half = Math.max(1, Math.floor(options.connections / 2));
  const both = async (durationSec: number): Promise<Sample> => {
    await waitIdle([a.pid, b.pid]);
    const [x, y] = await Promise.all([
      runLoad({ ...spec(a, half), durationSec }, [a.pid, b.pid]),
      runLoad({ ...spec(b, options.connections - half), durationSec }, []),
    ]);
    // One sample for the pair: requests add up over the same wall-clock window.
    return {
      requests: x.requests + y.requests,
      durationSec: Math.max(x.durationSec, y.durationSec),
      latencies: [...x.latencies, ...y.latencies],
      statusCodes: Object.fromEntries(
        [...new Set([...Object.keys(x.statusCodes), ...Object.keys(y.statusCodes)])].map((k) => [
          k,
          (x.statusCodes[k] ?? 0) + (y.statusCodes[k] ?? 0),
        ]),
      ),
      errors: x.errors + y.errors,
      peakRss: [x.peakRss[0] + x.peakRss[1]],
    };
  };

  bench.log('scenario 6a: warm-up');
  await both(options.warmupSec);
  const single: Sample[] = [];
  const dual: Sample[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    await waitIdle([a.pid, b.pid]);
    single.push(await runLoad({ ...spec(a, options.connections), durationSec: options.durationSec }, [a.pid]));
    dual.push(await both(options.durationSec));
    const rate = (s: Sample) => (s.requests / s.durationSec).toFixed(0);
    bench.log(`scenario 6a round ${round}: one instance ${rate(single.at(-1)!)} req/s, two ${rate(dual.at(-1)!)} req/s`);
  }
  const one = summarise(single);
  const two = summarise(dual);
  const gain = pairedRatio(two.roundsRps, one.roundsRps);
  return {
    id: '6a',
    scenario: 'scenario 2 across two instances (two ports, one database)',
    rps: two.rps,
    p50: two.p50,
    p99: two.p99,
    ceiling: { label: 'scenario 2 on one of them', rps: one.rps },
    ratio: gain,
    target: 'gain > 1 (shown)',
    met: gain === null ? null : gain > 1,
    peakRssMb: two.peakRssMb,
    notes: [
      `req/s per round, one instance: ${rounds(one)}; two: ${rounds(two)}. ${options.connections} connections in total either way ` +
        `(split ${Math.floor(options.connections / 2)} + ${options.connections - Math.floor(options.connections / 2)}), from one autocannon process that shares the ` +
        `${cpus().length} cores with both instances, so two instances cannot reach ${cpus().length}×. Peak RSS is the sum of both instances.`,
      ...failureNote('one instance', one),
      ...failureNote('two instances', two),
    ],
    detail: { single: one, dual: two },
  };
}

/** Assertions collected as lines; the check passes when every one holds. */
class Assertions {
  readonly lines: string[] = [];
  passed = true;

  that(ok: boolean, what: string): void {
    this.lines.push(`${ok ? 'ok' : 'FAILED'}: ${what}`);
    if (!ok) this.passed = false;
  }
}

async function rotationAcrossInstances(bench: Bench, a: AppInstance, b: AppInstance, account: Account): Promise<Check> {
  bench.log('scenario 6b: rotation and reuse detection across instances');
  const check = new Assertions();
  const instances = [a, b];
  const name = (i: number) => (i % 2 === 0 ? 'A' : 'B');

  // A chain of refreshes, each on the other instance than the one before.
  const first = await login(a.baseUrl, account);
  const chain = [first.refreshToken];
  let latest = first;
  const chainLength = 10;
  let chainOk = true;
  for (let i = 1; i <= chainLength; i++) {
    const { status, tokens } = await refresh(instances[i % 2].baseUrl, latest.refreshToken);
    if (status !== 200 || !tokens) {
      chainOk = false;
      check.that(false, `refresh ${i} on instance ${name(i)} answered ${status}`);
      break;
    }
    latest = tokens;
    chain.push(tokens.refreshToken);
  }
  check.that(
    chainOk && new Set(chain).size === chain.length,
    `${chainLength} refreshes alternating A, B, A, … each answered 200 with a new refresh token`,
  );
  const profiles = await Promise.all(instances.map((app) => profileStatus(app.baseUrl, latest.accessToken)));
  check.that(
    profiles.every((s) => s === 200),
    `the last access token is accepted by both instances (${profiles.join(', ')})`,
  );

  // Two tabs at once: the same token refreshed on both instances concurrently.
  const [onA, onB] = await Promise.all([refresh(a.baseUrl, latest.refreshToken), refresh(b.baseUrl, latest.refreshToken)]);
  check.that(
    onA.status === 200 && onB.status === 200,
    `the same token refreshed on A and B at once: both 200 (${onA.status}, ${onB.status})`,
  );
  if (onA.tokens && onB.tokens) {
    const [nextOnB, nextOnA] = await Promise.all([
      refresh(b.baseUrl, onA.tokens.refreshToken),
      refresh(a.baseUrl, onB.tokens.refreshToken),
    ]);
    check.that(
      nextOnB.status === 200 && nextOnA.status === 200,
      `each of those two new tokens then refreshes on the other instance: 200, 200 (${nextOnB.status}, ${nextOnA.status})`,
    );
    if (nextOnA.tokens) latest = nextOnA.tokens;
  }

  // Reuse: a token rotated long ago, replayed on B, ends the family everywhere.
  const replayed = await refresh(b.baseUrl, chain[1]);
  check.that(replayed.status === 401, `replaying an old token (refresh 1's) on B answers 401 (${replayed.status})`);
  const afterReuse = await Promise.all(instances.map((app) => refresh(app.baseUrl, latest.refreshToken)));
  check.that(
    afterReuse.every((r) => r.status === 401),
    `the family's latest token is then refused on both instances: 401, 401 (${afterReuse.map((r) => r.status).join(', ')})`,
  );
  const familyId = first.refreshToken.split('.')[0];
  const client = await new mongoose.mongo.MongoClient(bench.mongodbUri).connect();
  try {
    const session = await client
      .db()
      .collection('sessions')
      .findOne({ _id: familyId as never });
    check.that(
      session?.revokedReason === 'reuse',
      `the session record says revokedReason "reuse" (${session?.revokedReason ?? 'missing'})`,
    );
  } finally {
    await client.close();
  }
  return {
    id: '6b',
    name: 'rotation and reuse detection with refreshes alternating between instances',
    passed: check.passed,
    detail: check.lines,
  };
}

async function sharedThrottling(bench: Bench, a: AppInstance, b: AppInstance): Promise<Check> {
  const id = '6c';
  const name = `login throttling shared through Redis (${THROTTLE_ATTEMPTS} attempts for one account, alternating instances, limit ${ACCOUNT_LIMIT}/min)`;
  if (!bench.redisUrl) {
    return {
      id,
      name,
      passed: null,
      detail: ['skipped: redis-server is not installed (apt-get install -y redis-server), so the instances ran without REDIS_URL.'],
    };
  }
  bench.log('scenario 6c: throttling counts shared through Redis');
  const check = new Assertions();
  // A fresh account, so earlier logins of the shared one do not count.
  const account = await signup(a.baseUrl, 'throttle');
  const statuses: number[] = [];
  for (let i = 0; i < THROTTLE_ATTEMPTS; i++) {
    const app = i % 2 === 0 ? a : b;
    const response = await fetch(`${app.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: loginBody(account),
    });
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  const allowed = statuses.filter((s) => s === 200 || s === 201).length;
  check.that(
    allowed === ACCOUNT_LIMIT,
    `exactly ${ACCOUNT_LIMIT} of ${THROTTLE_ATTEMPTS} logins succeed in total, not ${ACCOUNT_LIMIT} per instance (${allowed})`,
  );
  check.that(
    statuses.slice(ACCOUNT_LIMIT).every((s) => s === 429),
    `attempt ${ACCOUNT_LIMIT + 1} onwards answers 429 on both instances (statuses A,B,A,…: ${statuses.join(' ')})`,
  );
  return { id, name, passed: check.passed, detail: check.lines };
}
