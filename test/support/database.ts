import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningDatabase, startFerretDb } from '../../src/database/ferretdb';
import { startPostgres } from '../../src/database/postgres';

export type TestEngine = 'sqlite' | 'postgres';

/** TEST_DATABASE picks FerretDB's backend: `sqlite` (the default) or `postgres`. */
export function testEngine(): TestEngine {
  const engine = process.env.TEST_DATABASE ?? 'sqlite';
  if (engine !== 'sqlite' && engine !== 'postgres') throw new Error(`TEST_DATABASE must be "sqlite" or "postgres", not "${engine}"`);
  return engine;
}

/**
 * The test database server: MONGODB_URI when it is set (a real MongoDB, say),
 * otherwise a FerretDB on a free port, over SQLite files in a throw-away
 * directory or, with TEST_DATABASE=postgres, over a throw-away PostgreSQL
 * cluster that is started for it.
 */
export async function startTestDatabase(): Promise<RunningDatabase & { description: string }> {
  if (process.env.MONGODB_URI) return { uri: process.env.MONGODB_URI, stop: async () => {}, description: 'MONGODB_URI' };
  if (testEngine() === 'postgres') {
    const postgres = await startPostgres();
    const db = await startFerretDb({ postgresqlUrl: postgres.uri }).catch(async (error) => {
      await postgres.stop();
      throw error;
    });
    return {
      uri: db.uri,
      description: `FerretDB (PostgreSQL at ${postgres.uri}) at ${db.uri}`,
      stop: async () => {
        await db.stop();
        await postgres.stop();
      },
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-ferretdb-'));
  const db = await startFerretDb({ dataDir });
  return {
    uri: db.uri,
    description: `FerretDB (SQLite) at ${db.uri}`,
    stop: async () => {
      await db.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One database per test file or browser worker, so suites never see each
 * other's data (FerretDB also keeps each database in its own SQLite file).
 */
export function databaseUri(serverUri: string, name: string): string {
  const [base, query] = serverUri.split('?');
  const hosts = base.replace(/^(mongodb(\+srv)?:\/\/[^/]*)(\/.*)?$/, '$1');
  return `${hosts}/${name}${query ? `?${query}` : ''}`;
}
