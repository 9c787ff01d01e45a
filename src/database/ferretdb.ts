import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** The Go program that embeds FerretDB v1 (SQLite or PostgreSQL backend); see tools/ferretdb/main.go. */
const TOOL_DIR = resolve(__dirname, '../../tools/ferretdb');
const READY_TIMEOUT_MS = 30_000;
const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
/**
 * Whole-file replacements of FerretDB sources that make `_id` lookups use the
 * `_id` index on both backends; see tools/ferretdb/patches/README.md.
 */
const PATCHES: Record<string, string> = {
  'sqlite-metadata.go': 'internal/backends/sqlite/metadata/metadata.go',
  'postgresql-query.go': 'internal/backends/postgresql/query.go',
};

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
function ferretdbBinaryPath(): string {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go', ...Object.keys(PATCHES).map((patch) => join('patches', patch))]) {
    hash.update(readFileSync(join(TOOL_DIR, file)));
  }
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
  const env = { ...process.env, CGO_ENABLED: '0' };
  const go = (args: string[]) => spawnSync('go', args, { cwd: TOOL_DIR, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  // The patches replace files of the downloaded module, so it must be there first.
  const moduleDir = go(['mod', 'download', '-json', FERRETDB_MODULE]);
  const dir = moduleDir.status === 0 ? (JSON.parse(moduleDir.stdout) as { Dir?: string }).Dir : undefined;
  if (!dir) throw new Error(`Building FerretDB failed: go mod download ${FERRETDB_MODULE} exited with ${moduleDir.status}.`);
  // Go refuses to overlay files in its module cache, so the build uses a
  // patched copy of the module through a temporary go.mod `replace`.
  const work = mkdtempSync(join(tmpdir(), 'latchkey-ferretdb-build-'));
  try {
    const patched = join(work, 'ferretdb');
    // The module cache is read-only; a copy with ordinary modes can be patched, and removed by a non-root user.
    const copy = spawnSync('cp', ['-R', '--no-preserve=mode', dir, patched], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (copy.status !== 0) throw new Error(`Building FerretDB failed: could not copy ${dir}.`);
    for (const [patch, target] of Object.entries(PATCHES)) copyFileSync(join(TOOL_DIR, 'patches', patch), join(patched, target));
    const modfile = join(work, 'go.mod');
    writeFileSync(modfile, `${readFileSync(join(TOOL_DIR, 'go.mod'), 'utf8')}\nreplace ${FERRETDB_MODULE} => ${patched}\n`);
    copyFileSync(join(TOOL_DIR, 'go.sum'), join(work, 'go.sum'));
    const result = spawnSync('go', ['build', '-trimpath', `-modfile=${modfile}`, '-o', partial, '.'], {
      cwd: TOOL_DIR,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (result.status !== 0) throw new Error(`Building FerretDB failed (go build exited with ${result.status}).`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
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
