import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `npm start` when the port is taken: one line that names the port and what
 * to do, exit 1, and no embedded database left behind (it is never started).
 */
const ROOT = resolve(__dirname, '../..');

function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'latchkey-port-'));
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['-r', require.resolve('ts-node/register/transpile-only'), join(ROOT, 'src/main.ts')],
      { cwd, timeout: 60_000, env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), ...env } },
      (error, stdout, stderr) => {
        rmSync(cwd, { recursive: true, force: true });
        done({ code: error ? ((error as { code?: number }).code ?? null) : 0, output: `${stdout}${stderr}`.trim() });
      },
    );
  });
}

describe('npm start with the port already taken', () => {
  jest.setTimeout(90_000);
  let taken: Server;
  let port: number;

  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((done) => taken.listen(0, done));
    port = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((done) => taken.close(() => done())));

  it.each([
    ['with MONGODB_URI', { MONGODB_URI: 'mongodb://127.0.0.1:9/latchkey' }],
    ['without MONGODB_URI (the embedded database)', {}],
  ])('%s - one line naming the port and the way out, exit 1, no database started', async (_, env) => {
    const { code, output } = await start({ ...env, PORT: String(port) });

    expect(code).toBe(1);
    expect(output.split('\n')).toHaveLength(1);
    expect(output).toBe(
      `Latchkey cannot start: port ${port} is already in use. Stop the other process, or choose another port: PORT=${port + 1} npm start`,
    );
    expect(output).not.toContain('embedded database');
  });
});
