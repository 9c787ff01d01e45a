import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningDatabase } from './ferretdb';

/** Debian's `postgresql` package (PostgreSQL 15, Debian 12). */
const PG_BIN = '/usr/lib/postgresql/15/bin';
const READY_TIMEOUT_MS = 60_000;

export function postgresUnavailableReason(): string | undefined {
  for (const tool of ['initdb', 'postgres']) {
    if (!existsSync(join(PG_BIN, tool))) return `PostgreSQL is not installed (no ${join(PG_BIN, tool)}): apt-get install postgresql`;
  }
  return undefined;
}

/**
 * A throw-away PostgreSQL cluster for FerretDB's PostgreSQL backend in tests
 * and benchmarks: a new data directory, a free loopback port, trust
 * authentication for loopback only, durability off (the data dies with it).
 * PostgreSQL refuses to run as root, so under root it runs as the `postgres`
 * user that Debian's package creates. Resolves with a `postgres://` URL.
 */
export async function startPostgres(): Promise<RunningDatabase> {
  const missing = postgresUnavailableReason();
  if (missing) throw new Error(missing);
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-postgres-'));
  const owner = process.getuid?.() === 0 ? systemUser('postgres') : undefined;
  if (owner) chownSync(dataDir, owner.uid, owner.gid);
  const as = owner ? { uid: owner.uid, gid: owner.gid } : {};

  const init = spawnSync(join(PG_BIN, 'initdb'), ['-D', dataDir, '-U', 'latchkey', '--auth=trust', '-E', 'UTF8', '--no-sync'], {
    ...as,
    encoding: 'utf8',
  });
  if (init.status !== 0) {
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(init.stderr || init.stdout).trim().slice(-500)}`);
  }

  const port = await freePort();
  const args = [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-k',
    dataDir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=200',
  ];
  // Through a shell that stops PostgreSQL ("fast" shutdown) when its standard
  // input closes: when this process dies, even by SIGKILL, its pipes close and
  // the cluster goes with it, as FerretDB does with -exit-on-stdin-eof.
  const watchdog = '"$0" "$@" & pid=$!; cat >/dev/null; kill -INT $pid 2>/dev/null; wait $pid';
  const child = spawn('sh', ['-c', watchdog, join(PG_BIN, 'postgres'), ...args], { ...as, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderrTail = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`PostgreSQL did not start within ${READY_TIMEOUT_MS / 1000}s: ${stderrTail.trim()}`));
    }, READY_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
      reject(new Error(`PostgreSQL exited with code ${code}: ${stderrTail.trim()}`));
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-4096);
      if (stderrTail.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { uri: `postgres://latchkey@127.0.0.1:${port}/postgres`, stop };
}

function systemUser(name: string): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync('id', [flag, name], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  if (!Number.isInteger(uid) || uid <= 0) throw new Error(`PostgreSQL cannot run as root, and there is no "${name}" user to run it as`);
  return { uid, gid: id('-g') };
}

/** A port that was free a moment ago; PostgreSQL (and the test processes) need a number, they cannot pick one. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
