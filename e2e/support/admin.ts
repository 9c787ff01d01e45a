import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Makes a user an admin the way an operator does, with the promote command,
 * against the app's database. The role reaches the user's access token at
 * their next login or refresh.
 *
 * This runs the built command (`node dist/cli/promote-user.js`, the
 * production form of `npm run user:promote`) rather than ts-node on
 * src/cli/promote-user.ts: the app under test is dist/ too, so the two always
 * come from the same build, and it skips a TypeScript compile that takes
 * seconds per call on a busy machine.
 */
export async function promoteToAdmin(dbUri: string, username: string): Promise<void> {
  const root = join(__dirname, '..', '..');
  await run(process.execPath, [join(root, 'dist', 'cli', 'promote-user.js'), username], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'test', MONGODB_URI: dbUri },
    timeout: 30_000,
  });
}
