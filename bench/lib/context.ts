/** What every scenario gets: the settings, the running services, and a way to start app instances. */
import type { Account } from './http';
import type { Options } from './options';
import { AppInstance, AppOptions, appNodeArgs, Cleanup, newSecrets, startApp, Worker } from './processes';

/** Far above anything a benchmark sends, so throttling never shapes a measurement. */
export const UNLIMITED = '1000000000/1m';

export interface Bench {
  options: Options;
  cleanup: Cleanup;
  tempDir: string;
  /** The benchmark database (same SQLite file for the app and the raw-driver ceiling). */
  mongodbUri: string;
  /** FerretDB's process, to show how busy the database is. */
  databasePid?: number;
  /** Unset when redis-server is not installed. */
  redisUrl?: string;
  worker: Worker;
  /** The account every scenario logs in with (made through the sign-up form). */
  account?: Account;
  /** Refresh tokens of live logins, each an untouched family; scenario 4 fills it, scenario 5 spends it. */
  families: string[];
  log(line: string): void;
  startApp(name: string, overrides?: Partial<AppOptions>): Promise<AppInstance>;
}

export function createBench(fields: Omit<Bench, 'startApp' | 'families' | 'log'>): Bench {
  // One deployment: every instance shares the secrets, as behind a load balancer.
  const secrets = newSecrets();
  const started = Date.now();
  return {
    ...fields,
    families: [],
    log: (line) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${line}`),
    startApp: (name, overrides = {}) =>
      startApp(fields.cleanup, fields.tempDir, {
        name,
        appDir: fields.options.appDir,
        productionNodeArgs: appNodeArgs(fields.options),
        mongodbUri: fields.mongodbUri,
        bcryptCost: fields.options.bcryptCost,
        secrets,
        rateLimitPerIp: UNLIMITED,
        rateLimitPerAccount: UNLIMITED,
        ...overrides,
      }),
  };
}
