import { getConnectionToken } from '@nestjs/mongoose';
import { Connection, Types } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { IdentitySchema } from '../../src/users/schemas/identity.schema';
import { UserSchema } from '../../src/users/schemas/user.schema';
import { identityId } from '../../src/users/identity';
import { SessionSchema } from '../../src/sessions/schemas/session.schema';
import { SessionClaimSchema } from '../../src/sessions/schemas/session-claim.schema';
import { UserSessionsSchema } from '../../src/sessions/schemas/user-sessions.schema';
import { signUpBrowser, userId } from '../support/lifecycle';
import { startTestApp, TestApp } from '../support/test-app';
import { apiRefresh } from '../support/users';

/**
 * Every query on a hot path (login, sign-up, refresh, logout, the session
 * check of sensitive pages, the sessions list) and the index that serves it;
 * the same list is in docs/performance.md. They
 * all filter on `_id` alone, the one filter FerretDB v1 on SQLite pushes down
 * to SQL at all.
 */
const HOT_QUERIES: Array<{ what: string; collection: string; filter: (ids: Ids) => Record<string, unknown>; index: string }> = [
  {
    what: 'login and sign-up: the identity a name reserves',
    collection: 'user_identities',
    filter: (ids) => ({ _id: ids.identity }),
    index: '_id',
  },
  { what: 'login, refresh, profile reads: the user by id', collection: 'users', filter: (ids) => ({ _id: ids.user }), index: '_id' },
  {
    what: 'refresh, logout, revoke, session check: the session',
    collection: 'sessions',
    filter: (ids) => ({ _id: ids.session }),
    index: '_id',
  },
  {
    what: 'refresh and revoke: the claimed update of a session (updateOne filter)',
    collection: 'sessions',
    filter: (ids) => ({ _id: ids.session }),
    index: '_id',
  },
  { what: 'every session write: the generation claim', collection: 'session_claims', filter: (ids) => ({ _id: ids.claim }), index: '_id' },
  {
    what: "sessions list, end all sessions, login: the user's list of sessions",
    collection: 'user_sessions',
    filter: (ids) => ({ _id: ids.user }),
    index: '_id',
  },
];

interface Ids {
  user: Types.ObjectId;
  identity: string;
  session: string;
  claim: string;
}

/** What an explain says about the access path, on MongoDB, FerretDB/SQLite or FerretDB/PostgreSQL. */
function accessPath(explain: unknown): 'index' | 'scan' | 'unknown' {
  const text = JSON.stringify(explain);
  if (/COLLSCAN|Seq Scan|detail=SCAN /.test(text)) return 'scan';
  if (
    /IDHACK|IXSCAN|EXPRESS_IXSCAN|USING (COVERING |PRIMARY KEY |INTEGER PRIMARY KEY )?INDEX|Index Scan|Index Only Scan|Bitmap Index Scan/.test(
      text,
    )
  )
    return 'index';
  return 'unknown';
}

describe('indexes behind every hot query', () => {
  let t: TestApp;
  let connection: Connection;
  let ids: Ids;
  beforeAll(async () => {
    t = await startTestApp();
    connection = t.app.get<Connection>(getConnectionToken());
    const login = await signUpBrowser(t);
    expect((await apiRefresh(t.agent(), login.refreshToken)).status).toBe(200);
    ids = {
      user: new Types.ObjectId(await userId(t, login.user.username)),
      identity: identityId('username', login.user.username.toLowerCase()),
      session: login.sessionId,
      claim: `${login.sessionId}:1`,
    };
    // Filler, so that a planner that prefers a scan of a tiny table
    // (PostgreSQL does) faces a table where the choice matters.
    for (const collection of new Set(HOT_QUERIES.map((q) => q.collection))) {
      const docs = Array.from({ length: 2000 }, () => ({ _id: `filler-${randomBytes(12).toString('hex')}`, pad: 'x'.repeat(200) }));
      await connection.db!.collection(collection).insertMany(docs as never[]);
    }
  });
  afterAll(() => t.close());

  it('the schemas - usernames and emails are unique indexes on users; the other hot collections are keyed by _id alone', () => {
    expect(UserSchema.indexes()).toEqual(
      expect.arrayContaining([
        [{ usernameKey: 1 }, expect.objectContaining({ unique: true })],
        [{ emailKey: 1 }, expect.objectContaining({ unique: true })],
      ]),
    );
    // Nothing else is declared on the collections of the hot paths: every
    // lookup is by _id, and an unused index only slows every write.
    for (const schema of [IdentitySchema, SessionSchema, SessionClaimSchema, UserSessionsSchema]) expect(schema.indexes()).toEqual([]);
    const idType = (schema: { path(name: string): { instance: string } }) => schema.path('_id').instance;
    expect([IdentitySchema, SessionSchema, SessionClaimSchema, UserSessionsSchema].map((schema) => idType(schema as never))).toEqual([
      'String',
      'String',
      'String',
      'ObjectId',
    ]);
  });

  it('the database - holds the declared indexes once the app has started', async () => {
    const keys = async (collection: string) =>
      (await connection.db!.collection(collection).indexes()).map((i) => Object.keys(i.key).join(','));
    expect(await keys('users')).toEqual(expect.arrayContaining(['_id', 'usernameKey', 'emailKey']));
    for (const collection of ['user_identities', 'sessions', 'session_claims', 'user_sessions']) {
      expect(await keys(collection)).toContain('_id');
    }
  });

  it.each(HOT_QUERIES)('explain: $what - read through the $index index, not a scan', async ({ collection, filter }) => {
    const explain = await connection
      .db!.command({ explain: { find: collection, filter: filter(ids) }, verbosity: 'queryPlanner' })
      .catch((error: Error) => ({ unsupported: error.message }));
    if ('unsupported' in explain) {
      console.warn(`explain is not supported by this database (${explain.unsupported}); only the schemas were checked`);
      return;
    }
    // FerretDB also says whether the filter reached SQL at all.
    if ('filterPushdown' in explain) expect(explain.filterPushdown).toBe(true);
    expect(accessPath(explain)).toBe('index');
  });
});
