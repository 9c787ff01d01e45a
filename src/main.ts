import { Logger } from '@nestjs/common';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createApp } from './app.setup';
import { ConfigError } from './config/env.validation';
import { DEV_DATA_DIR } from './database/embedded-database';
import { SigningKeysService } from './keys/signing-keys.service';
import { resolveMail } from './mail/development-mail';
import { prepareStartup, startupFailure } from './startup';
import { DemoAccounts } from './users/demo-accounts';

const logger = new Logger('Latchkey');

async function bootstrap(): Promise<void> {
  const log = (line: string) => logger.log(line);
  // The port is checked before the embedded database starts, so a taken port costs nothing to undo.
  const prepared = await prepareStartup(log, (loaded) => assertPortFree(loaded.port));
  const { embedded } = prepared;
  // The server only (not the CLI): loadConfig refuses production without SMTP_URL, so this is never production.
  const config = await resolveMail(prepared.config, log);
  for (const name of config.generatedSecrets) {
    const lost =
      name === 'DATA_ENCRYPTION_KEY'
        ? 'authenticator apps set up now stop working (and a new signing key replaces the current one)'
        : 'forms opened before then and device cookies stop working';
    logger.warn(`${name} is not set: using a random key for this process, so ${lost} when it restarts`);
  }
  for (const name of config.unusedVariables) {
    logger.warn(`${name} is set but unused: access tokens are signed with the signing keys in the database (docs/architecture.md)`);
  }

  const app = await createApp(config);
  try {
    await app.listen(config.port);
  } catch (error) {
    // Taken in the moment since the check: close the database connection and
    // stop the embedded database rather than leave it running without us.
    await app.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw portError(error, config.port);
  }
  logger.log(`Listening on http://localhost:${config.port} (${config.nodeEnv})`);
  logger.log(app.get(SigningKeysService).describe());
  if (config.mailCatcherUrl) logger.log(`Sent mail (password resets, verification links): ${config.mailCatcherUrl}`);

  // loadConfig refuses production without MONGODB_URI, so this is development only.
  if (embedded) {
    for (const account of await app.get(DemoAccounts).ensure(join(DEV_DATA_DIR, 'demo-accounts.json'))) {
      const password = account.passwordWorks ? `password "${account.password}"` : 'password changed since it was created';
      logger.log(`Demo ${account.role}: username "${account.username}", ${password}`);
    }
  }
}

/**
 * One line that names the port and what to do, instead of Node's EADDRINUSE
 * stack trace: a ConfigError, since the fix is the PORT setting (startupFailure).
 */
function portError(error: unknown, port: number): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return new ConfigError(`port ${port} is already in use. Stop the other process, or choose another port: PORT=${port + 1} npm start`);
  }
  if (code === 'EACCES') return new ConfigError(`port ${port} needs more privileges than this process has. Choose another port with PORT.`);
  return error instanceof Error ? error : new Error(String(error));
}

/** Listens where Nest will (every interface) and lets go at once. */
function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) => reject(portError(error, port)));
    probe.listen(port, () => probe.close(() => resolve()));
  });
}

bootstrap().catch((error: unknown) => {
  const { line, known } = startupFailure(error);
  if (known) console.error(`Latchkey cannot start: ${line}`);
  else logger.error(line);
  process.exit(1);
});
