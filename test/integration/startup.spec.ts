import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const GOOD_SECRET = 'k'.repeat(48);

/**
 * Starts the real entry point (src/main.ts) as an operator would, in an empty
 * directory so no .env is read, and returns how it ended.
 */
function start(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'latchkey-start-'));
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['-r', require.resolve('ts-node/register/transpile-only'), join(ROOT, 'src/main.ts')],
      { cwd, timeout: 60_000, env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), ...env } },
      (error, stdout, stderr) => {
        rmSync(cwd, { recursive: true, force: true });
        done({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
      },
    );
  });
}

const production = {
  NODE_ENV: 'production',
  MONGODB_URI: 'mongodb://127.0.0.1:9/latchkey',
  SMTP_URL: 'smtp://127.0.0.1:9',
  APP_URL: 'https://auth.example.com',
  PORT: '0',
};

describe('start-up with a bad environment', () => {
  jest.setTimeout(90_000);

  it.each([
    ['JWT_SECRET', 'missing', { COOKIE_SECRET: GOOD_SECRET }],
    ['JWT_SECRET', 'too short', { COOKIE_SECRET: GOOD_SECRET, JWT_SECRET: 'short' }],
    ['COOKIE_SECRET', 'missing', { JWT_SECRET: GOOD_SECRET }],
    ['DATA_ENCRYPTION_KEY', 'missing', { JWT_SECRET: GOOD_SECRET, COOKIE_SECRET: GOOD_SECRET }],
  ])('production with %s %s - exits 1 with one line naming it and no stack trace', async (name, _, env) => {
    const { code, stdout, stderr } = await start({ ...production, ...env });
    expect(code).toBe(1);
    const output = `${stdout}${stderr}`.trim();
    expect(output.split('\n')).toHaveLength(1);
    expect(output).toContain(name);
    expect(output).not.toMatch(/\n\s+at /);
    expect(output).not.toContain('JwtStrategy requires a secret or key');
  });
});
