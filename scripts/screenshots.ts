/**
 * `npm run screenshots`: rebuilds the app, starts a throw-away database, and
 * runs e2e/screenshots/readme.shots.ts, which writes docs/screenshots/*.png
 * (shown in README.md and docs/architecture.md).
 */
import { spawn } from 'node:child_process';
import { startTestDatabase } from '../test/support/database';

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

async function main(): Promise<number> {
  const build = await run('npx', ['tsc', '-p', 'tsconfig.build.json']);
  if (build !== 0) return build;
  const db = await startTestDatabase();
  try {
    return await run('npx', ['playwright', 'test', '--config', 'e2e/screenshots/playwright.config.ts'], {
      MONGODB_URI: db.uri,
      CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    });
  } finally {
    await db.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`Screenshots could not be taken: ${error.message}`);
    process.exit(1);
  },
);
