import { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../../src/app.setup';
import { AppConfig, loadConfig } from '../../src/config/env.validation';
import { databaseUri } from './database';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  /** A fresh client with its own cookie jar, like a new browser. */
  agent(): ReturnType<typeof request.agent>;
  close(): Promise<void>;
}

/**
 * The real app (same createApp as main.ts) against the real test database,
 * in a database of its own. `env` overrides variables as an operator would
 * (MONGODB_URI: another instance's database, to run two on one).
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const server = process.env.MONGODB_URI;
  if (!server) throw new Error('MONGODB_URI is not set: run the suites through `npm test`, which starts the database');
  const config = loadConfig({
    NODE_ENV: 'test',
    BCRYPT_COST: '4',
    // Suites make many requests from one IP; throttling has its own suite.
    RATE_LIMIT_PER_IP: '100000/1m',
    RATE_LIMIT_PER_ACCOUNT: '100000/1m',
    ...env,
    // A database of its own, unless the test shares one between instances.
    MONGODB_URI: env.MONGODB_URI ?? databaseUri(server, `latchkey_${randomBytes(6).toString('hex')}`),
  });
  const app = await createApp(config);
  // A start-up that fails (a test of a refusal) must not leave its database connection open.
  await app.init().catch(async (error: unknown) => {
    await app.close().catch(() => undefined);
    throw error;
  });
  return {
    app,
    config,
    agent: () => request.agent(app.getHttpServer()),
    close: () => app.close(),
  };
}

/**
 * What production requires beyond NODE_ENV: real secrets, a bcrypt cost of at
 * least 10, a public origin and a mail server (nothing listens on port 9, the
 * discard port, so mail simply fails and is logged).
 */
export function productionEnv(): Record<string, string> {
  return {
    NODE_ENV: 'production',
    APP_URL: 'https://auth.example.com',
    SMTP_URL: 'smtp://127.0.0.1:9',
    BCRYPT_COST: '10',
    COOKIE_SECRET: randomBytes(48).toString('base64url'),
    DATA_ENCRYPTION_KEY: randomBytes(48).toString('base64url'),
  };
}
