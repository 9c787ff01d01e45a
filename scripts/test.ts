/**
 * `npm test`: unit and integration tests (Jest) and browser tests (Playwright),
 * against one real database server that this script starts and stops.
 * Arguments after `--` go to Jest, e.g. `npm test -- test/integration`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium as playwright } from 'playwright';
import { startTestDatabase } from '../test/support/database';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const jestReport = join(tmpdir(), `latchkey-jest-${process.pid}.json`);
const playwrightReport = join(tmpdir(), `latchkey-playwright-${process.pid}.json`);

/**
 * Asynchronous on purpose: this process owns the database's pipes, and a
 * blocked event loop stops reading them until the database stalls.
 */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

function counts(file: string, read: (report: any) => [number, number]): [number, number] {
  try {
    return read(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return [0, 0];
  } finally {
    rmSync(file, { force: true });
  }
}

/** Playwright's own Chromium, where `npx playwright install chromium` put it (or undefined). */
function playwrightChromium(): string | undefined {
  try {
    const path = playwright.executablePath();
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A browser for the Playwright suite: CHROMIUM_PATH, Debian's Chromium, or
 * Playwright's cache; failing those, Playwright's own download (which needs
 * the internet), and only then the advice to install one.
 */
function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : undefined;
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  const cached = playwrightChromium();
  if (cached) return cached;
  console.log('No Chromium found: trying `npx playwright install chromium`…');
  spawnSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit' });
  return playwrightChromium();
}

async function main(): Promise<number> {
  const jestOnly = process.argv.length > 2;
  const chromium = jestOnly ? undefined : findChromium();
  if (!jestOnly && !chromium) {
    console.error('Browser tests need Chromium: install it with "apt-get install chromium" or set CHROMIUM_PATH.');
    return 1;
  }
  // The whole run lints first, so CI fails on a lint error; a run of chosen files skips it.
  if (!jestOnly) {
    const lint = await run('npm', ['run', '-s', 'lint']);
    if (lint !== 0) return lint;
  }
  const db = await startTestDatabase();
  console.log(`Test database: ${db.description}`);
  const env = { MONGODB_URI: db.uri, ...(chromium ? { CHROMIUM_PATH: chromium } : {}) };
  try {
    // Builds dist/ for the browser tests, then type-checks the tests too
    // (ts-jest and Playwright only transpile them).
    const build =
      (await run('npx', ['tsc', '-p', 'tsconfig.build.json'])) || (await run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']));
    if (build !== 0) return build;
    const jest = await run('npx', ['jest', '--json', `--outputFile=${jestReport}`, ...process.argv.slice(2)], env);
    const browser = jestOnly ? 0 : await run('npx', ['playwright', 'test'], { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport });
    const [jestPassed, jestFailed] = counts(jestReport, (r) => [r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites]);
    const [pwPassed, pwFailed] = counts(playwrightReport, (r) => [r.stats.expected + r.stats.flaky, r.stats.unexpected]);
    console.log(`\nJest: ${jestPassed} passed, ${jestFailed} failed · Playwright: ${pwPassed} passed, ${pwFailed} failed`);
    console.log(`all: ${jestPassed + pwPassed} passed, ${jestFailed + pwFailed} failed`);
    return jest || browser;
  } finally {
    await db.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`Test run could not start: ${error.message}`);
    process.exit(1);
  },
);
