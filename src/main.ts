import { Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createApp } from './app.setup';
import { AppConfig, ConfigError, loadConfig } from './config/env.validation';
import { EmbeddedDatabase, EmbeddedDatabaseUnavailable, startEmbeddedDatabase } from './database/embedded-database';

const logger = new Logger('Latchkey');

async function bootstrap(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig(process.env);
  for (const name of config.generatedSecrets) {
    logger.warn(`${name} is not set: using a random key for this process, so logins end when it restarts`);
  }

  let embedded: EmbeddedDatabase | undefined;
  if (!config.mongodbUri) {
    // It exits by itself when this process does (it watches its stdin).
    embedded = await startEmbeddedDatabase(resolve('.data'));
    logger.log(`MONGODB_URI is not set: started the embedded database, ${embedded.description}`);
  }

  const app = await createApp({ ...config, mongodbUri: config.mongodbUri ?? embedded?.uri } satisfies AppConfig);
  await app.listen(config.port);
  logger.log(`Listening on http://localhost:${config.port} (${config.nodeEnv})`);
}

bootstrap().catch((error: unknown) => {
  // Configuration and database problems are the operator's to fix: one clear
  // line, no stack trace (CONTRACT.md, "Environment").
  if (error instanceof ConfigError || error instanceof EmbeddedDatabaseUnavailable) {
    console.error(`Latchkey cannot start: ${error.message}`);
  } else {
    logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  process.exit(1);
});
