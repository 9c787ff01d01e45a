/**
 * Makes an existing user an admin:
 *   npm run user:promote -- <username>         (development, ts-node)
 *   node dist/cli/promote-user.js <username>   (production build)
 * Uses MONGODB_URI, or the embedded development database when it is unset.
 * The new role reaches the user's access token at their next refresh.
 */
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { prepareStartup, startupFailure } from '../startup';
import { UsersService } from '../users/users.service';

async function main(username: string | undefined): Promise<number> {
  if (!username) {
    console.error('Usage: npm run user:promote -- <username>');
    return 2;
  }
  const { config, embedded } = await prepareStartup(() => {});
  const app = await NestFactory.createApplicationContext(AppModule.register(config), { logger: ['error'] });
  try {
    const users = app.get(UsersService);
    const user = await users.findByUsername(username);
    if (!user) {
      console.error(`No user named "${username}".`);
      return 1;
    }
    await users.grantRole(user.id, 'admin');
    console.log(`${user.username} is now an admin (effective at their next token refresh, or log in again).`);
    return 0;
  } finally {
    await app.close();
    await embedded?.stop();
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const { line, known } = startupFailure(error);
    console.error(known ? `Cannot promote: ${line}` : line);
    process.exit(1);
  },
);
