import type { WorkerFixture } from '@playwright/test';
import { test as base } from '../fixtures';
import { TestMailbox } from '../../test/support/smtp';

type AppEnv = Record<string, string>;

/**
 * The app's environment with the mailbox as its SMTP server, plus `env`: what
 * a spec passes to `test.use({ appEnv: withMailbox({ … }) })` to change the
 * environment without losing the mail.
 */
export const withMailbox = (env: AppEnv = {}): [WorkerFixture<AppEnv, { mailbox: TestMailbox }>, { scope: 'worker' }] => [
  async ({ mailbox }, use) => use({ SMTP_URL: mailbox.smtpUrl, ...env }),
  { scope: 'worker' },
];

/**
 * The browser tests' mailbox: a real SMTP server in the Playwright worker,
 * and the worker's app sends to it (SMTP_URL). The app builds links from
 * APP_URL, whose default is http://localhost:<port>; the browser uses that
 * same origin, so a link from a mail opens where the cookies are.
 */
export const test = base.extend<Record<never, never>, { mailbox: TestMailbox }>({
  mailbox: [
    async ({}, use) => {
      const mailbox = await TestMailbox.start();
      await use(mailbox);
      await mailbox.stop();
    },
    { scope: 'worker' },
  ],
  appEnv: withMailbox(),
  baseURL: async ({ appUrl }, use) => use(appUrl.replace('//127.0.0.1:', '//localhost:')),
});

export { expect } from '../fixtures';
