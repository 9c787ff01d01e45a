import { test as base, expect, type BrowserContext, type BrowserContextOptions } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { databaseUri } from '../test/support/database';
import { spawnApp, waitFor } from '../test/support/processes';

/**
 * Each worker runs the built app (`node dist/main.js`, exactly what
 * `npm run start:prod` runs) as a child process on a free port, against its
 * own database on the test server. A spec can change the environment with
 * `test.use({ appEnv: { ACCESS_TOKEN_TTL: '2s' } })`.
 */
interface WorkerFixtures {
  appEnv: Record<string, string>;
  /** The worker's own database, for steps a person does outside the browser (`npm run user:promote`). */
  appDbUri: string;
  appUrl: string;
  /** Everything the app has printed so far (it only logs warnings and errors). */
  appOutput: string[];
}

/**
 * Opens another browser context (another browser, as far as the app can
 * tell) on the app, with its own cookie jar; closed when the test ends.
 */
export type NewContext = (options?: BrowserContextOptions) => Promise<BrowserContext>;

interface TestFixtures {
  baseURL: string;
  newContext: NewContext;
  /** Attaches what the app printed during a failed test, such as the stack of a 500. */
  attachAppOutput: void;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  appEnv: [{}, { option: true, scope: 'worker' }],
  appDbUri: [
    async ({}, use) => {
      const server = process.env.MONGODB_URI;
      if (!server) throw new Error('MONGODB_URI is not set: run the browser tests through `npm test`');
      await use(databaseUri(server, `latchkey_e2e_${randomBytes(6).toString('hex')}`));
    },
    { scope: 'worker' },
  ],
  appOutput: [async ({}, use) => use([]), { scope: 'worker' }],
  appUrl: [
    async ({ appEnv, appDbUri, appOutput: output }, use) => {
      const app = await spawnApp({ ...appEnv, MONGODB_URI: appDbUri });
      app.child.stdout?.on('data', (chunk) => output.push(String(chunk)));
      app.child.stderr?.on('data', (chunk) => output.push(String(chunk)));
      await waitFor(
        async () => {
          if (app.child.exitCode !== null) throw new Error(`app exited with ${app.child.exitCode}:\n${app.output()}`);
          return fetch(`${app.url}/`).then(
            (r) => r.ok,
            () => false,
          );
        },
        30_000,
        app.output,
      );
      await use(app.url);
      await app.stop();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  baseURL: async ({ appUrl }, use) => use(appUrl),
  newContext: async ({ browser, baseURL }, use) => {
    const opened: BrowserContext[] = [];
    await use(async (options = {}) => {
      const context = await browser.newContext({ baseURL, ...options });
      opened.push(context);
      return context;
    });
    await Promise.all(opened.map((context) => context.close()));
  },
  attachAppOutput: [
    async ({ appOutput }, use, testInfo) => {
      const from = appOutput.length;
      await use();
      const printed = appOutput.slice(from).join('');
      if (testInfo.status !== testInfo.expectedStatus && printed) {
        await testInfo.attach('app output', { body: printed, contentType: 'text/plain' });
      }
    },
    { auto: true },
  ],
});

export { expect };
