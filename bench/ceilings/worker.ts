/**
 * Ceilings measured in a Node process of their own, on command from the
 * runner (IPC), so that a ceiling never shares its process with the load
 * generator and sees the same libuv pool size (UV_THREADPOOL_SIZE) as the app.
 *
 * - bcrypt: closed-loop bcrypt.compare at a given cost and concurrency: the
 *   most logins per second that the password hash alone allows.
 * - findOneAndUpdate: the raw MongoDB driver that mongoose bundles, doing a
 *   refresh-token rotation's write in one round trip, by _id, on a document
 *   of the app's own sessions collection, one per concurrent lane (as each
 *   refresh chain in the app scenario owns one login).
 * - refreshRoundTrips: not a ceiling but a diagnosis, the app's own sequence
 *   of round trips for one refresh, with the raw driver.
 */
import * as bcrypt from 'bcrypt';
import mongoose from 'mongoose';
import { createHash, randomBytes } from 'node:crypto';

type Command =
  | { kind: 'bcrypt'; cost: number; concurrency: number; durationSec: number }
  | { kind: 'findOneAndUpdate' | 'refreshRoundTrips'; uri: string; concurrency: number; count: number; maxSec: number };

interface Measurement {
  ops: number;
  durationSec: number;
  rate: number;
  p50: number;
  p99: number;
  /** bcrypt only: one comparison on an otherwise idle process (the fastest of three), in ms. */
  singleMs?: number;
  /** Driver only: documents in the sessions collection. */
  sessionDocuments?: number;
}

/**
 * Runs `op` with `concurrency` in flight until `more()` says stop. Like
 * autocannon, only ops that end by `deadline` (when given) count, and the
 * window is then exactly up to the deadline.
 */
async function closedLoop(
  concurrency: number,
  more: () => boolean,
  op: (lane: number) => Promise<unknown>,
  deadline?: bigint,
): Promise<{ latencies: number[]; durationSec: number }> {
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, lane) => {
      while (more()) {
        const t = process.hrtime.bigint();
        await op(lane);
        const ended = process.hrtime.bigint();
        if (deadline === undefined || ended <= deadline) latencies.push(Number(ended - t) / 1e6);
      }
    }),
  );
  const end = deadline ?? process.hrtime.bigint();
  return { latencies, durationSec: Number(end - started) / 1e9 };
}

function measurement(latencies: number[], durationSec: number): Measurement {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
  return { ops: latencies.length, durationSec, rate: latencies.length / durationSec, p50: at(0.5), p99: at(0.99) };
}

// ---------------------------------------------------------------- bcrypt

const hashes = new Map<number, string>();

async function bcryptCeiling(cost: number, concurrency: number, durationSec: number): Promise<Measurement> {
  const password = 'a-benchmark-password-of-ordinary-length';
  if (!hashes.has(cost)) hashes.set(cost, await bcrypt.hash(password, cost));
  const hash = hashes.get(cost)!;
  // The least disturbed of three: other work on the machine only ever adds to a hash's time.
  let singleMs = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    await bcrypt.compare(password, hash);
    singleMs = Math.min(singleMs, Number(process.hrtime.bigint() - t) / 1e6);
  }

  const deadline = process.hrtime.bigint() + BigInt(Math.round(durationSec * 1e9));
  const { latencies, durationSec: window } = await closedLoop(
    concurrency,
    () => process.hrtime.bigint() < deadline,
    () => bcrypt.compare(password, hash),
    deadline,
  );
  return { ...measurement(latencies, window), singleMs };
}

// ---------------------------------------------------------------- raw driver

let client: InstanceType<typeof mongoose.mongo.MongoClient> | undefined;
type Collection = ReturnType<ReturnType<InstanceType<typeof mongoose.mongo.MongoClient>['db']>['collection']>;
interface Lane {
  _id: string;
  generation: number;
}
const lanes: Lane[] = [];
let userId: InstanceType<typeof mongoose.Types.ObjectId> | undefined;

const sha = (s: string) => createHash('sha256').update(s).digest('base64url');

/** `count` operations, but never for longer than `maxSec`: every load here is bounded in time. */
function bounded(count: number, maxSec: number): () => boolean {
  const deadline = Date.now() + maxSec * 1000;
  let started = 0;
  return () => started++ < count && Date.now() < deadline;
}

/** What a rotation writes: new hashes, times, and the next generation. */
function rotation(lane: Lane, now: Date) {
  return {
    parentHash: sha(randomBytes(32).toString('base64url')),
    childHashes: [sha(randomBytes(32).toString('base64url'))],
    siblingHashes: [],
    siblingsValidUntil: new Date(now.getTime() + 30_000),
    lastUsedAt: now,
    idleExpiresAt: new Date(now.getTime() + 7 * 86_400_000),
    ip: '127.0.0.1',
    generation: lane.generation + 1,
  };
}

/**
 * One session document per lane, in the app's own collections: same
 * database, same collection sizes and indexes, so the ceiling pays what the
 * app's queries pay (FerretDB v1 scans a whole collection for any filter
 * other than a lone _id). The lanes' ids are in no token, so the app never
 * sees them.
 */
async function prepare(uri: string, concurrency: number): Promise<{ sessions: Collection; claims: Collection; users: Collection }> {
  // The driver mongoose bundles, with its default pool (as the app's mongoose has).
  client ??= await new mongoose.mongo.MongoClient(uri, { serverSelectionTimeoutMS: 5_000 }).connect();
  const db = client.db();
  const [sessions, claims, users] = ['sessions', 'session_claims', 'users'].map((name) => db.collection(name));
  // The benchmark account, made through the sign-up form before any ceiling runs.
  userId ??= (await users.findOne({}, { projection: { _id: 1 } }))?._id;
  if (!userId) throw new Error('no user in the database yet');
  while (lanes.length < concurrency) {
    const now = new Date();
    const lane = { _id: randomBytes(16).toString('base64url'), generation: 0 };
    // The shape of a Session document (src/sessions/schemas/session.schema.ts).
    await sessions.insertOne({
      _id: lane._id as never,
      userId,
      parentHash: null,
      childHashes: [sha(randomBytes(32).toString('base64url'))],
      siblingHashes: [],
      siblingsValidUntil: null,
      generation: 0,
      persistent: false,
      userAgent: 'autocannon',
      ip: '127.0.0.1',
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + 14 * 86_400_000),
      idleExpiresAt: new Date(now.getTime() + 7 * 86_400_000),
      revokedAt: null,
      revokedReason: null,
    });
    lanes.push(lane);
  }
  return { sessions, claims, users };
}

/**
 * The ceiling: the cheapest read-modify-write of one session the database
 * offers, one findOneAndUpdate by _id that moves the token on and returns
 * the document. (A filter of _id alone is what every server, FerretDB v1
 * included, answers from the primary key.)
 */
async function findOneAndUpdateCeiling(uri: string, concurrency: number, count: number, maxSec: number): Promise<Measurement> {
  const { sessions } = await prepare(uri, concurrency);
  const more = bounded(count, maxSec);
  const { latencies, durationSec } = await closedLoop(concurrency, more, async (i) => {
    const lane = lanes[i];
    const updated = await sessions.findOneAndUpdate(
      { _id: lane._id as never },
      { $set: rotation(lane, new Date()) },
      { returnDocument: 'after' },
    );
    if (!updated) throw new Error('findOneAndUpdate matched nothing');
    lane.generation += 1;
  });
  return { ...measurement(latencies, durationSec), sessionDocuments: await sessions.countDocuments() };
}

/**
 * Not a ceiling, a diagnosis: the round trips one app refresh makes
 * (SessionsService.refresh, with AuthService's user read beside its write), with the raw
 * driver and no app around them. It splits the gap between what the
 * database costs and what the app adds.
 */
async function refreshRoundTrips(uri: string, concurrency: number, count: number, maxSec: number): Promise<Measurement> {
  const { sessions, claims, users } = await prepare(uri, concurrency);
  const more = bounded(count, maxSec);
  const { latencies, durationSec } = await closedLoop(concurrency, more, async (i) => {
    const lane = lanes[i];
    const session = await sessions.findOne({ _id: lane._id as never });
    if (!session) throw new Error('session missing');
    // As SessionsService.refresh: the claim, then the update by _id alone, with the user read beside them.
    const write = async () => {
      await claims.insertOne({ _id: `${lane._id}:${lane.generation + 1}` as never, at: new Date() });
      const { matchedCount } = await sessions.updateOne({ _id: lane._id as never }, { $set: rotation(lane, new Date()) });
      if (matchedCount !== 1) throw new Error('update matched nothing');
    };
    await Promise.all([write(), users.findOne({ _id: session.userId })]);
    lane.generation += 1;
  });
  return measurement(latencies, durationSec);
}

// ---------------------------------------------------------------- IPC

process.on('message', (command: Command) => {
  const work =
    command.kind === 'bcrypt'
      ? bcryptCeiling(command.cost, command.concurrency, command.durationSec)
      : command.kind === 'findOneAndUpdate'
        ? findOneAndUpdateCeiling(command.uri, command.concurrency, command.count, command.maxSec)
        : refreshRoundTrips(command.uri, command.concurrency, command.count, command.maxSec);
  work.then(
    (result) => process.send!(result),
    (error: Error) => process.send!({ error: error.message }),
  );
});

// The runner's exit closes the IPC channel: never outlive it.
process.on('disconnect', () => {
  void client?.close().finally(() => process.exit(0));
  if (!client) process.exit(0);
});
process.on('SIGTERM', () => process.exit(0));
