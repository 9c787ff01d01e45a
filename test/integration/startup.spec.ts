import { runEntryPoint } from '../support/processes';

const GOOD_SECRET = 'k'.repeat(48);

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
    ['COOKIE_SECRET', 'missing', { DATA_ENCRYPTION_KEY: GOOD_SECRET }],
    ['DATA_ENCRYPTION_KEY', 'missing', { COOKIE_SECRET: GOOD_SECRET }],
    ['DATA_ENCRYPTION_KEY', 'too short', { COOKIE_SECRET: GOOD_SECRET, DATA_ENCRYPTION_KEY: 'short' }],
    // JWT_SECRET signs nothing any more (signing keys): a short one is no reason to refuse, and the missing key still is.
    ['DATA_ENCRYPTION_KEY', 'missing beside a short, unused JWT_SECRET', { COOKIE_SECRET: GOOD_SECRET, JWT_SECRET: 'short' }],
  ])('production with %s %s - exits 1 with one line naming it and no stack trace', async (name, _, env) => {
    const { code, stdout, stderr } = await runEntryPoint({ ...production, ...env });
    expect(code).toBe(1);
    const output = `${stdout}${stderr}`.trim();
    expect(output.split('\n')).toHaveLength(1);
    expect(output).toContain(name);
    expect(output).not.toMatch(/\n\s+at /);
    expect(output).not.toContain('JwtStrategy requires a secret or key');
  });
});
