import { join, resolve } from 'node:path';
import { AppConfig } from '../config/env.validation';
import { goIsAvailable, RunningDatabase, startFerretDb } from './ferretdb';

export interface EmbeddedDatabase extends RunningDatabase {
  /** What was started and where, for the start-up log. */
  description: string;
}

export class EmbeddedDatabaseUnavailable extends Error {}

/** Where `npm start` keeps development data: .data/ in the working directory. */
export const DEV_DATA_DIR = resolve('.data');

/**
 * MONGODB_URI when set; otherwise the embedded database, started now. It
 * exits by itself when this process does (it watches its stdin).
 */
export async function resolveDatabase(
  config: AppConfig,
  log: (line: string) => void,
): Promise<{ config: AppConfig; embedded?: EmbeddedDatabase }> {
  if (config.mongodbUri) return { config };
  const embedded = await startEmbeddedDatabase(DEV_DATA_DIR);
  log(`MONGODB_URI is not set: started the embedded database, ${embedded.description}`);
  return { config: { ...config, mongodbUri: embedded.uri }, embedded };
}

/**
 * The development database behind `npm start` when MONGODB_URI is unset.
 * FerretDB is preferred because it needs nothing but Go; mongodb-memory-server
 * is the fallback and downloads a real mongod on first use (internet needed).
 * Both keep their data under `.data/` so accounts survive a restart.
 */
export async function startEmbeddedDatabase(dataRoot: string): Promise<EmbeddedDatabase> {
  if (goIsAvailable()) {
    const dataDir = join(dataRoot, 'ferretdb');
    const db = await startFerretDb({ dataDir });
    return { ...db, uri: `${db.uri}latchkey`, description: `FerretDB v1.24.2 (SQLite) with data in ${dataDir}` };
  }
  try {
    return await startMongoMemoryServer(join(dataRoot, 'mongodb'));
  } catch (error) {
    throw new EmbeddedDatabaseUnavailable(
      'No database could be started: set MONGODB_URI to a MongoDB server, or install Go so FerretDB can be built' +
        ` (mongodb-memory-server said: ${(error as Error).message.split('\n')[0]})`,
    );
  }
}

async function startMongoMemoryServer(dataDir: string): Promise<EmbeddedDatabase> {
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dataDir, { recursive: true });
  const server = await MongoMemoryServer.create({ instance: { dbPath: dataDir, storageEngine: 'wiredTiger' } });
  return {
    uri: server.getUri('latchkey'),
    description: `mongodb-memory-server with data in ${dataDir}`,
    stop: async () => {
      await server.stop({ doCleanup: false });
    },
  };
}
