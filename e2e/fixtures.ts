import { test as base, expect } from '@playwright/test';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { databaseUri } from '../test/support/database';

/**
 * Each worker runs the built app (`node dist/main.js`, exactly what
 * `npm run start:prod` runs) as a child process on a free port, against its
 * own database on the test server. A spec can change the environment with
 * `test.use({ appEnv: { ACCESS_TOKEN_TTL: '2s' } })`.
 */
interface WorkerFixtures {
  appEnv: Record<string, string>;
  appUrl: string;
}

export const test = base.extend<{ baseURL: string }, WorkerFixtures>({
  appEnv: [{}, { option: true, scope: 'worker' }],
  appUrl: [
    async ({ appEnv }, use) => {
      const server = process.env.MONGODB_URI;
      if (!server) throw new Error('MONGODB_URI is not set: run the browser tests through `npm test`');
      const port = await freePort();
      const child = spawn(process.execPath, [join(__dirname, '..', 'dist', 'main.js')], {
        env: {
          ...process.env,
          NODE_ENV: 'test',
          BCRYPT_COST: '4',
          RATE_LIMIT_PER_IP: '100000/1m',
          RATE_LIMIT_PER_ACCOUNT: '100000/1m',
          ...appEnv,
          PORT: String(port),
          MONGODB_URI: databaseUri(server, `latchkey_e2e_${randomBytes(6).toString('hex')}`),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const output: string[] = [];
      child.stdout?.on('data', (chunk) => output.push(String(chunk)));
      child.stderr?.on('data', (chunk) => output.push(String(chunk)));
      const url = `http://127.0.0.1:${port}`;
      await waitForHttp(`${url}/`, child, output);
      await use(url);
      await stop(child);
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  baseURL: async ({ appUrl }, use) => use(appUrl),
});

export { expect };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}:\n${output.join('')}`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`app did not answer at ${url} within 30s:\n${output.join('')}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
