import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningDatabase, startFerretDb } from '../../src/database/ferretdb';

/**
 * The test database server: MONGODB_URI when it is set (a real MongoDB, say),
 * otherwise a FerretDB on a free port with a throw-away data directory.
 */
export async function startTestDatabase(): Promise<RunningDatabase & { owned: boolean }> {
  if (process.env.MONGODB_URI) return { uri: process.env.MONGODB_URI, stop: async () => {}, owned: false };
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-ferretdb-'));
  const db = await startFerretDb({ dataDir });
  return {
    uri: db.uri,
    owned: true,
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
