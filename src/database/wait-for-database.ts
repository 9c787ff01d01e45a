import { Logger } from '@nestjs/common';
import mongoose from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';

const RETRY_MS = 2_000;
const REMIND_EVERY = 15;

/**
 * Blocks start-up until the database answers a ping, saying so in one line
 * instead of a stack trace per attempt, so an app started before its
 * database (a common order in orchestrators) simply begins serving later.
 */
export async function waitForDatabase(uri: string, logger = new Logger('Database')): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const client = new mongoose.mongo.MongoClient(uri, { serverSelectionTimeoutMS: RETRY_MS });
    try {
      await client.connect();
      await client.db().command({ ping: 1 });
      if (attempt > 1) logger.log(`Database at ${hostOf(uri)} is reachable again`);
      return;
    } catch (error) {
      if (attempt === 1 || attempt % REMIND_EVERY === 0) {
        logger.warn(`Cannot reach the database at ${hostOf(uri)} (${(error as Error).message}); retrying every ${RETRY_MS / 1000}s…`);
      }
    } finally {
      await client.close().catch(() => undefined);
    }
    await sleep(RETRY_MS);
  }
}

/** Host and port only: the URI may carry credentials, which never go to a log. */
function hostOf(uri: string): string {
  return /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]+)/.exec(uri)?.[1] ?? 'the configured address';
}
