import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** The Go program that embeds FerretDB v1 (SQLite or PostgreSQL backend); see tools/ferretdb/main.go. */
const TOOL_DIR = resolve(__dirname, '../../tools/ferretdb');
const READY_TIMEOUT_MS = 30_000;

export interface RunningDatabase {
  uri: string;
  stop(): Promise<void>;
}

export function goIsAvailable(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
}

/**
 * The binary is cached per machine under a name derived from the tool's
 * sources, so it is built once and rebuilt only when the tool changes.
 */
export function ferretdbBinaryPath(): string {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) hash.update(readFileSync(join(TOOL_DIR, file)));
  const cacheDir = process.env.LATCHKEY_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'latchkey');
  return join(cacheDir, `ferretdb-v1.24.2-${hash.digest('hex').slice(0, 12)}`);
}

export function buildFerretDb(log: (line: string) => void = console.log): string {
  const binary = ferretdbBinaryPath();
  if (existsSync(binary)) return binary;
  if (!goIsAvailable()) {
    throw new Error('Go is not installed, so FerretDB cannot be built. Install Go 1.24+ or set MONGODB_URI.');
  }
  log(`Building FerretDB into ${binary} (once per machine; about a minute)…`);
  mkdirSync(resolve(binary, '..'), { recursive: true });
  const partial = `${binary}.${process.pid}.partial`;
  const result = spawnSync('go', ['build', '-trimpath', '-o', partial, '.'], {
    cwd: TOOL_DIR,
    env: { ...process.env, CGO_ENABLED: '0' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`Building FerretDB failed (go build exited with ${result.status}).`);
  // Rename is atomic, so a concurrent start never runs a half-written binary.
  renameSync(partial, binary);
  return binary;
}

/**
 * Where FerretDB keeps its data: SQLite files in a directory, or a
 * PostgreSQL database (see postgres.ts for a throw-away one).
 */
export type FerretDbBackend = { dataDir: string } | { postgresqlUrl: string };

/** Starts FerretDB on loopback and resolves once it accepts connections. */
export function startFerretDb(options: FerretDbBackend & { port?: number }): Promise<RunningDatabase> {
  const binary = buildFerretDb();
  let backend: string[];
  if ('postgresqlUrl' in options) {
    backend = ['-postgresql-url', options.postgresqlUrl];
  } else {
    mkdirSync(options.dataDir, { recursive: true });
    backend = ['-dir', options.dataDir];
  }
  const child = spawn(binary, ['-listen', `127.0.0.1:${options.port ?? 0}`, ...backend, '-exit-on-stdin-eof'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // Only the tail is kept, for the error message if it dies: FerretDB logs a
  // warning per error reply, which would otherwise grow without bound.
  let stderrTail = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-4096);
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  };

  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`FerretDB did not start within ${READY_TIMEOUT_MS / 1000}s: ${stderrTail.trim()}`));
    }, READY_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`FerretDB exited with code ${code}: ${stderrTail.trim()}`));
    });
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolvePromise({ uri: line.trim(), stop });
    });
  });
}
