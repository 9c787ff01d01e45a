/**
 * Everything the benchmark starts: FerretDB, redis-server, app instances and
 * ceiling workers, all on 127.0.0.1. Each start registers its own stop with
 * a Cleanup, which the runner drains in a `finally` (and on SIGINT/SIGTERM),
 * so nothing outlives the run, even when a scenario throws.
 */
import { ChildProcess, fork, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFerretDb } from '../../src/database/ferretdb';
import { startPostgres } from '../../src/database/postgres';
import { freePort } from '../../test/support/processes';

export const REPO_ROOT = resolve(__dirname, '../..');
const WORKER = join(REPO_ROOT, 'bench', 'ceilings', 'worker.ts');
const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

// ---------------------------------------------------------------- clean-up

/** Stops run last-started-first; each runs once, whatever the others do. */
export class Cleanup {
  private readonly steps: Array<{ name: string; run: () => Promise<void> | void }> = [];
  private readonly children = new Set<ChildProcess>();

  constructor() {
    // Last resort if the runner exits without draining (an uncaught error):
    // no child may outlive it. Only SIGKILL can be sent synchronously here.
    process.on('exit', () => {
      for (const child of this.children) if (isRunning(child)) child.kill('SIGKILL');
    });
  }

  add(name: string, run: () => Promise<void> | void): void {
    this.steps.push({ name, run });
  }

  track(child: ChildProcess): void {
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
  }

  async drain(): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.run();
      } catch (error) {
        console.error(`clean-up: ${step.name} failed: ${(error as Error).message}`);
      }
    }
  }
}

export function makeTempDir(cleanup: Cleanup): string {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-bench-'));
  cleanup.add(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** SIGTERM, then SIGKILL after a grace period. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!isRunning(child)) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill(signal);
  const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(killer);
}

// ---------------------------------------------------------------- memory

/** Resident set size in bytes, from /proc (Linux); 0 once the process is gone. */
export function rssBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples the RSS of some processes every 100 ms until stopped; returns each one's peak. */
export function sampleRss(pids: number[]): { stop(): number[] } {
  const peaks = pids.map(rssBytes);
  const timer = setInterval(() => pids.forEach((pid, i) => (peaks[i] = Math.max(peaks[i], rssBytes(pid)))), 100);
  return {
    stop() {
      clearInterval(timer);
      pids.forEach((pid, i) => (peaks[i] = Math.max(peaks[i], rssBytes(pid))));
      return peaks;
    },
  };
}

/**
 * CPU time (user + system) a process has used, in clock ticks (1/100 s on
 * Linux); with `mainThreadOnly`, only its main thread's (Node's event loop).
 */
function cpuTicks(pid: number, mainThreadOnly = false): number {
  try {
    // Fields after the command name, which may contain spaces: utime and stime are the 12th and 13th.
    const fields = readFileSync(mainThreadOnly ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8')
      .split(') ')[1]
      .split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/**
 * How much CPU each process uses from now until stop(), in cores (1 = one
 * core busy all the time); a negative pid means that process's main thread.
 */
export function cpuMeter(pids: number[]): { stop(): number[] } {
  const ticks = (pid: number) => cpuTicks(Math.abs(pid), pid < 0);
  const started = Date.now();
  const before = pids.map(ticks);
  return {
    stop: () => {
      const seconds = (Date.now() - started) / 1000;
      return pids.map((pid, i) => (ticks(pid) - before[i]) / 100 / seconds);
    },
  };
}

/** A child of this process by its command name (FerretDB is started by src/database/ferretdb.ts, which keeps its pid). */
export function childPid(commandPrefix: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [, name, rest] = /^\d+ \((.*)\) (.*)$/s.exec(stat) ?? [];
      if (name?.startsWith(commandPrefix) && Number(rest.split(' ')[1]) === process.pid) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/**
 * Waits until the processes have been (nearly) idle for 200 ms: after a load
 * stops, the server still finishes the requests it had accepted (whole bcrypt
 * hashes, queued writes), and the next measurement must not share the CPU
 * with that tail.
 */
export async function waitIdle(pids: number[], maxMs = 5_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let before = pids.map((pid) => cpuTicks(pid));
  let quiet = 0;
  while (quiet < 2 && Date.now() < deadline) {
    await sleep(100);
    const now = pids.map((pid) => cpuTicks(pid));
    quiet = now.every((t, i) => t - before[i] <= 1) ? quiet + 1 : 0;
    before = now;
  }
}

// ---------------------------------------------------------------- build

export function buildApp(appDir: string): void {
  const result = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: appDir, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`the app build failed (tsc exited with ${result.status})`);
}

// ---------------------------------------------------------------- database

export type Engine = 'sqlite' | 'postgres';

/**
 * FerretDB on SQLite files in tempDir, or on a throw-away PostgreSQL cluster
 * (Debian's postgresql, started here the way Redis is).
 */
export async function startDatabase(
  cleanup: Cleanup,
  tempDir: string,
  engine: Engine = 'sqlite',
): Promise<{ serverUri: string; uri: string; pid?: number; stop(): Promise<void> }> {
  let backend: { dataDir: string } | { postgresqlUrl: string } = { dataDir: join(tempDir, `ferretdb-${engine}`) };
  const stops: Array<() => Promise<void>> = [];
  if (engine === 'postgres') {
    const postgres = await startPostgres();
    cleanup.add('stop PostgreSQL', () => postgres.stop());
    stops.push(() => postgres.stop());
    backend = { postgresqlUrl: postgres.uri };
  }
  const db = await startFerretDb(backend);
  cleanup.add('stop FerretDB', () => db.stop());
  stops.unshift(() => db.stop());
  // One database (one SQLite file in FerretDB) for the app and the raw-driver ceiling alike.
  return {
    serverUri: db.uri,
    uri: `${db.uri.replace(/\/?$/, '/')}latchkey-bench`,
    pid: childPid('ferretdb'),
    stop: async () => {
      for (const stop of stops) await stop();
    },
  };
}

// ---------------------------------------------------------------- redis

export function redisAvailable(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Debian's redis-server on a free loopback port, no persistence, its files in tempDir. */
export async function startRedis(cleanup: Cleanup, tempDir: string): Promise<string> {
  const port = await freePort();
  const dir = join(tempDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      HOST,
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  cleanup.track(child);
  cleanup.add('stop redis-server', () => stopChild(child));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await redisPing(port))) {
    if (!isRunning(child) || Date.now() > deadline) throw new Error('redis-server did not start');
    await sleep(50);
  }
  return `redis://${HOST}:${port}`;
}

function redisPing(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: HOST, port });
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      done(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => done(false));
    socket.once('timeout', () => {
      socket.destroy();
      done(false);
    });
  });
}

// ---------------------------------------------------------------- app

export interface AppInstance {
  name: string;
  baseUrl: string;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

export interface AppOptions {
  name: string;
  /** The checkout whose dist/main.js runs. */
  appDir: string;
  mongodbUri: string;
  bcryptCost: number;
  /** Both instances of one deployment need the same secrets. */
  secrets: { jwt: string; cookie: string; data: string };
  rateLimitPerIp: string;
  rateLimitPerAccount: string;
  redisUrl?: string;
  /** Node flags of `npm run start:prod` (see appNodeArgs), unless --app-node-args says otherwise. */
  productionNodeArgs: string[];
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
}

/** The flags `npm run start:prod` gives node (so the app runs as in production), or those of --app-node-args. */
export function appNodeArgs(options: { appDir: string; appNodeArgs: string[] | null }): string[] {
  if (options.appNodeArgs) return options.appNodeArgs;
  const { scripts } = JSON.parse(readFileSync(join(options.appDir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  return scripts['start:prod'].split(/\s+/).filter((word) => word.startsWith('--'));
}

export function newSecrets(): { jwt: string; cookie: string; data: string } {
  const key = () => randomBytes(48).toString('base64url');
  return { jwt: key(), cookie: key(), data: key() };
}

/** `node dist/main.js` in production mode, with its output in a log file. */
export async function startApp(cleanup: Cleanup, tempDir: string, options: AppOptions): Promise<AppInstance> {
  const port = await freePort();
  const logFile = join(tempDir, `${options.name}.log`);
  const log = openSync(logFile, 'a');
  // A clean environment: nothing from the caller's shell (MONGODB_URI, a
  // NODE_ENV) leaks in. cwd is the temp dir, so a developer's .env is not read.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    PORT: String(port),
    MONGODB_URI: options.mongodbUri,
    JWT_SECRET: options.secrets.jwt,
    COOKIE_SECRET: options.secrets.cookie,
    DATA_ENCRYPTION_KEY: options.secrets.data,
    BCRYPT_COST: String(options.bcryptCost),
    // Longer than any run, so no access token expires mid-measurement.
    ACCESS_TOKEN_TTL: '1h',
    RATE_LIMIT_PER_IP: options.rateLimitPerIp,
    RATE_LIMIT_PER_ACCOUNT: options.rateLimitPerAccount,
    // Production requires both. Nothing listens on the discard port, so the
    // verification mail of each sign-up fails after the response, off the measured path.
    APP_URL: `http://127.0.0.1:${port}`,
    SMTP_URL: 'smtp://127.0.0.1:9',
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...threadPoolEnv(),
  };
  const child = spawn(
    process.execPath,
    [...options.productionNodeArgs, ...(options.nodeArgs ?? []), join(options.appDir, 'dist', 'main.js')],
    {
      cwd: tempDir,
      env,
      stdio: ['ignore', log, log],
    },
  );
  closeSync(log);
  cleanup.track(child);
  const stop = () => stopChild(child);
  cleanup.add(`stop ${options.name}`, stop);

  const baseUrl = `http://${HOST}:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (!isRunning(child)) throw new Error(`${options.name} exited at start:\n${tail(logFile)}`);
    if (Date.now() > deadline)
      throw new Error(`${options.name} did not answer /healthz within ${START_TIMEOUT_MS / 1000}s:\n${tail(logFile)}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  return { name: options.name, baseUrl, pid: child.pid!, logFile, stop };
}

export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The app and the bcrypt ceiling must run on the same libuv pool size. */
export function threadPoolEnv(): NodeJS.ProcessEnv {
  return process.env.UV_THREADPOOL_SIZE ? { UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE } : {};
}

export function threadPoolSize(): number {
  return Number(process.env.UV_THREADPOOL_SIZE ?? 4);
}

// ---------------------------------------------------------------- ceiling workers

export interface Worker {
  pid: number;
  /** Sends one command and waits for its answer. */
  run<T>(command: object): Promise<T>;
}

/**
 * A separate Node process (bench/ceilings/worker.ts) that measures a ceiling
 * on command, so it never shares a CPU core with the load generator.
 */
export function startWorker(cleanup: Cleanup): Worker {
  const child = fork(WORKER, [], {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TS_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.json'), ...threadPoolEnv() },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  cleanup.track(child);
  cleanup.add('stop ceiling worker', () => stopChild(child));
  return {
    pid: child.pid!,
    run<T>(command: object): Promise<T> {
      return new Promise((resolveRun, reject) => {
        const onExit = (code: number | null) => reject(new Error(`ceiling worker exited (${code})`));
        child.once('exit', onExit);
        child.once('message', (answer: { error?: string } & T) => {
          child.off('exit', onExit);
          if (answer.error) reject(new Error(`ceiling worker: ${answer.error}`));
          else resolveRun(answer);
        });
        child.send(command);
      });
    },
  };
}
