import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildFerretDb } from '../../src/database/ferretdb';
import { freePort } from '../../src/database/postgres';

export { freePort };

/**
 * Real processes for the reliability suites: the built app (dist/main.js,
 * what `npm run start:prod` runs) and a FerretDB that a test can kill and
 * restart on the same port with the same data.
 */

export interface ManagedProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code, or the signal name. */
  exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

function manage(child: ChildProcess): ManagedProcess {
  const chunks: string[] = [];
  child.stdout?.on('data', (c) => chunks.push(String(c)));
  child.stderr?.on('data', (c) => chunks.push(String(c)));
  const exited = new Promise<number | string>((done) => child.once('exit', (code, signal) => done(code ?? signal ?? -1)));
  return {
    child,
    output: () => chunks.join(''),
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A FerretDB bound to a fixed port, so a restart brings the "same" server back. */
export class RestartableDatabase {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'latchkey-reliability-db-'));
  private process?: ManagedProcess;

  constructor(readonly port: number) {}

  uri(database: string): string {
    return `mongodb://127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    // Built on first use, as every other FerretDB start does (npm run soak may be the first).
    const child = spawn(buildFerretDb(), ['-listen', `127.0.0.1:${this.port}`, '-dir', this.dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process = manage(child);
    await waitFor(
      () => this.process!.output().includes('mongodb://'),
      20_000,
      () => this.process!.output(),
    );
  }

  /** SIGKILL: the database vanishes as in a crash, without a goodbye to clients. */
  async kill(): Promise<void> {
    await this.process?.stop('SIGKILL');
  }

  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export interface AppProcess extends ManagedProcess {
  url: string;
}

/** Starts `node dist/main.js`; does not wait for it to serve (see waitForHttp). */
export async function spawnApp(env: Record<string, string>): Promise<AppProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [resolve(__dirname, '../../dist/main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      BCRYPT_COST: '4',
      RATE_LIMIT_PER_IP: '100000/1m',
      RATE_LIMIT_PER_ACCOUNT: '100000/1m',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { ...manage(child), url: `http://127.0.0.1:${port}` };
}

export async function waitForHttp(url: string, timeoutMs = 30_000, expectedStatus = 200): Promise<void> {
  await waitFor(
    async () =>
      (await fetch(url).then(
        (r) => r.status,
        () => 0,
      )) === expectedStatus,
    timeoutMs,
    () => `no ${expectedStatus} from ${url}`,
  );
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
}

/**
 * Starts a real entry point (src/main.ts, or a CLI under src/cli/) as an operator would, in an empty
 * directory so no .env is read, with only PATH and `env`, and returns how it ended.
 */
export function runEntryPoint(
  env: Record<string, string>,
  entry = 'src/main.ts',
  args: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const root = resolve(__dirname, '../..');
  const cwd = mkdtempSync(join(tmpdir(), 'latchkey-start-'));
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['-r', require.resolve('ts-node/register/transpile-only'), join(root, entry), ...args],
      { cwd, timeout: 60_000, env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: join(root, 'tsconfig.json'), ...env } },
      (error, stdout, stderr) => {
        rmSync(cwd, { recursive: true, force: true });
        done({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
      },
    );
  });
}
