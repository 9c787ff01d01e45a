import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import { createApp } from './app.setup';
import { DEV_DATA_DIR } from './database/embedded-database';
import { resolveMail } from './mail/development-mail';
import { prepareStartup, startupFailure } from './startup';
import { DemoAccounts } from './users/demo-accounts';

const logger = new Logger('Latchkey');

async function bootstrap(): Promise<void> {
  const log = (line: string) => logger.log(line);
  const prepared = await prepareStartup(log);
  const { embedded } = prepared;
  // The server only (not the CLI): loadConfig refuses production without SMTP_URL, so this is never production.
  const config = await resolveMail(prepared.config, log);
  for (const name of config.generatedSecrets) {
    const lost = name === 'DATA_ENCRYPTION_KEY' ? 'authenticator apps set up now stop working' : 'logins end';
    logger.warn(`${name} is not set: using a random key for this process, so ${lost} when it restarts`);
  }

  const app = await createApp(config);
  await app.listen(config.port);
  logger.log(`Listening on http://localhost:${config.port} (${config.nodeEnv})`);
  if (config.mailCatcherUrl) logger.log(`Sent mail (password resets, verification links): ${config.mailCatcherUrl}`);

  // loadConfig refuses production without MONGODB_URI, so this is development only.
  if (embedded) {
    for (const account of await app.get(DemoAccounts).ensure(join(DEV_DATA_DIR, 'demo-accounts.json'))) {
      const password = account.passwordWorks ? `password "${account.password}"` : 'password changed since it was created';
      logger.log(`Demo ${account.role}: username "${account.username}", ${password}`);
    }
  }
}

bootstrap().catch((error: unknown) => {
  const { line, known } = startupFailure(error);
  if (known) console.error(`Latchkey cannot start: ${line}`);
  else logger.error(line);
  process.exit(1);
});
