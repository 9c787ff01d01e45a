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
    ['JWT_SECRET', 'missing', { COOKIE_SECRET: GOOD_SECRET }],
    ['JWT_SECRET', 'too short', { COOKIE_SECRET: GOOD_SECRET, JWT_SECRET: 'short' }],
    ['COOKIE_SECRET', 'missing', { JWT_SECRET: GOOD_SECRET }],
    ['DATA_ENCRYPTION_KEY', 'missing', { JWT_SECRET: GOOD_SECRET, COOKIE_SECRET: GOOD_SECRET }],
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
