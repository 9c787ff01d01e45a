// class-transformer's @Type needs the metadata API, which Nest loads in the app.
import 'reflect-metadata';
import { ConfigError, loadConfig } from './env.validation';

const SECRET = 's'.repeat(32);
const OTHER_SECRET = 'o'.repeat(48);
const DATA_KEY = 'd'.repeat(32);
const PRODUCTION = {
  NODE_ENV: 'production',
  MONGODB_URI: 'mongodb://db:27017/latchkey',
  JWT_SECRET: SECRET,
  COOKIE_SECRET: OTHER_SECRET,
  DATA_ENCRYPTION_KEY: DATA_KEY,
  SMTP_URL: 'smtp://mail.example.com:587',
  APP_URL: 'https://auth.example.com',
};

/** The ConfigError that loadConfig throws for this environment. */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw new Error(`expected a ConfigError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  describe('production secrets', () => {
    it('production without JWT_SECRET - loads (access tokens are signed by the signing keys) and names nothing unused', () => {
      const { JWT_SECRET: _, ...env } = PRODUCTION;
      expect(loadConfig(env).unusedVariables).toEqual([]);
    });

    it('production with any JWT_SECRET, even a short one - loads, and names JWT_SECRET as unused for the start-up warning', () => {
      expect(loadConfig({ ...PRODUCTION, JWT_SECRET: 'short' }).unusedVariables).toEqual(['JWT_SECRET']);
      expect(loadConfig(PRODUCTION)).not.toHaveProperty('jwtSecret');
    });

    it('production with a COOKIE_SECRET of 31 bytes, or blank - ConfigError naming COOKIE_SECRET and the 32-byte minimum', () => {
      expect(configError({ ...PRODUCTION, COOKIE_SECRET: 's'.repeat(31) }).message).toMatch(
        /^COOKIE_SECRET must be set to at least 32 bytes/,
      );
      expect(configError({ ...PRODUCTION, COOKIE_SECRET: '   ' }).message).toMatch(/^COOKIE_SECRET /);
    });

    it('production with a 32-byte secret made of 16 two-byte characters - ConfigError (bytes, not characters, count)', () => {
      expect(configError({ ...PRODUCTION, COOKIE_SECRET: 'é'.repeat(15) }).message).toMatch(/^COOKIE_SECRET /);
      expect(loadConfig({ ...PRODUCTION, COOKIE_SECRET: 'é'.repeat(16) }).cookieSecret).toBe('é'.repeat(16));
    });

    it('production without COOKIE_SECRET - ConfigError naming COOKIE_SECRET', () => {
      const { COOKIE_SECRET: _, ...env } = PRODUCTION;
      expect(configError(env).message).toMatch(/^COOKIE_SECRET /);
    });

    it('production with both secrets, MONGODB_URI and the default cost - loads with those secrets and no generated ones', () => {
      const config = loadConfig(PRODUCTION);
      expect(config).toMatchObject({
        nodeEnv: 'production',
        isProduction: true,
        cookieSecret: OTHER_SECRET,
        generatedSecrets: [],
        bcryptCost: 12,
        mongodbUri: PRODUCTION.MONGODB_URI,
      });
    });

    it('production without MONGODB_URI - ConfigError naming MONGODB_URI', () => {
      const { MONGODB_URI: _, ...env } = PRODUCTION;
      expect(configError(env).message).toMatch(/^MONGODB_URI /);
    });

    it('production without DATA_ENCRYPTION_KEY, or with 31 bytes - ConfigError naming DATA_ENCRYPTION_KEY', () => {
      const { DATA_ENCRYPTION_KEY: _, ...env } = PRODUCTION;
      expect(configError(env).message).toMatch(/^DATA_ENCRYPTION_KEY must be set to at least 32 bytes/);
      expect(configError({ ...PRODUCTION, DATA_ENCRYPTION_KEY: 'd'.repeat(31) }).message).toMatch(/^DATA_ENCRYPTION_KEY /);
      expect(loadConfig(PRODUCTION).dataEncryptionKey).toBe(DATA_KEY);
    });

    it.each(['SMTP_URL', 'APP_URL'])('production without %s - ConfigError naming it', (name) => {
      const env: Record<string, string> = { ...PRODUCTION };
      delete env[name];
      expect(configError(env).message).toMatch(new RegExp(`^${name} must be set in production`));
    });

    it('production with SMTP_URL and APP_URL - links start with APP_URL, without a trailing slash', () => {
      expect(loadConfig({ ...PRODUCTION, APP_URL: 'https://auth.example.com/' })).toMatchObject({
        appUrl: 'https://auth.example.com',
        smtpUrl: PRODUCTION.SMTP_URL,
      });
    });

    it('production with BCRYPT_COST 9 - ConfigError naming BCRYPT_COST; 10 is accepted', () => {
      expect(configError({ ...PRODUCTION, BCRYPT_COST: '9' }).message).toMatch(/^BCRYPT_COST must be at least 10/);
      expect(loadConfig({ ...PRODUCTION, BCRYPT_COST: '10' }).bcryptCost).toBe(10);
    });
  });

  describe('development and test', () => {
    it('development without secrets - random 48-byte keys, named in generatedSecrets', () => {
      const config = loadConfig({});
      expect(config.nodeEnv).toBe('development');
      expect(config.isProduction).toBe(false);
      expect(config.generatedSecrets).toEqual(['COOKIE_SECRET', 'DATA_ENCRYPTION_KEY']);
      expect(Buffer.from(config.cookieSecret, 'base64url')).toHaveLength(48);
      expect(Buffer.from(config.dataEncryptionKey, 'base64url')).toHaveLength(48);
      expect(config.dataEncryptionKey).not.toBe(config.cookieSecret);
    });

    it('development loaded twice - a different generated key each time (per process)', () => {
      expect(loadConfig({}).cookieSecret).not.toBe(loadConfig({}).cookieSecret);
    });

    it('development with a short COOKIE_SECRET that is set - ConfigError rather than silently replacing it', () => {
      expect(configError({ COOKIE_SECRET: 'short' }).message).toMatch(/^COOKIE_SECRET /);
    });

    it('test with BCRYPT_COST 4 - accepted', () => {
      expect(loadConfig({ NODE_ENV: 'test', BCRYPT_COST: '4' }).bcryptCost).toBe(4);
    });

    it('BCRYPT_COST 3 - ConfigError naming BCRYPT_COST', () => {
      expect(configError({ BCRYPT_COST: '3' }).message).toMatch(/^BCRYPT_COST /);
    });
  });

  describe('defaults and parsing', () => {
    it('an empty environment - the documented defaults', () => {
      expect(loadConfig({})).toMatchObject({
        port: 3000,
        nodeEnv: 'development',
        mongodbUri: undefined,
        accessTokenTtlSeconds: 300,
        refreshTokenTtlSeconds: 14 * 24 * 3600,
        bcryptCost: 12,
        trustProxy: undefined,
        appUrl: 'http://localhost:3000',
        smtpUrl: undefined,
        mailFrom: 'Latchkey <no-reply@localhost>',
        resetTokenTtlSeconds: 30 * 60,
        verifyTokenTtlSeconds: 24 * 3600,
      });
    });

    it('development on PORT 4000 without APP_URL - links point at http://localhost:4000', () => {
      expect(loadConfig({ PORT: '4000' }).appUrl).toBe('http://localhost:4000');
    });

    it.each([
      ['APP_URL', 'https://auth.example.com/reset'],
      ['APP_URL', 'auth.example.com'],
      ['SMTP_URL', 'http://mail.example.com'],
      ['RESET_TOKEN_TTL', 'soon'],
    ])('%s=%s - ConfigError naming it', (name, value) => {
      expect(configError({ [name]: value }).message).toMatch(new RegExp(`^${name} `));
    });

    it('blank values as in a copied .env.example - treated as unset', () => {
      expect(loadConfig({ PORT: '', MONGODB_URI: '', JWT_SECRET: '', ACCESS_TOKEN_TTL: ' ' })).toMatchObject({
        port: 3000,
        mongodbUri: undefined,
        accessTokenTtlSeconds: 300,
        generatedSecrets: ['COOKIE_SECRET', 'DATA_ENCRYPTION_KEY'],
        unusedVariables: [],
      });
    });

    it('no APP_URL or REAUTH_WINDOW in development - http://localhost:$PORT and 10 minutes', () => {
      expect(loadConfig({ PORT: '4123' })).toMatchObject({ appUrl: 'http://localhost:4123', reauthWindowSeconds: 600 });
      expect(loadConfig({ REAUTH_WINDOW: '2m' }).reauthWindowSeconds).toBe(120);
    });

    it('PORT 8080 - the number 8080', () => {
      expect(loadConfig({ PORT: '8080' }).port).toBe(8080);
    });

    it.each([
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['NODE_ENV', 'staging'],
      ['MONGODB_URI', 'http://db:27017'],
      ['ACCESS_TOKEN_TTL', 'soon'],
      ['REFRESH_TOKEN_TTL', '14 days'],
      ['BCRYPT_COST', 'twelve'],
    ])('%s=%s - ConfigError whose message starts with the variable name', (name, value) => {
      expect(configError({ [name]: value }).message).toMatch(new RegExp(`^${name} `));
    });

    it('ACCESS_TOKEN_TTL 2s and REFRESH_TOKEN_TTL 1h - 2 and 3600 seconds', () => {
      expect(loadConfig({ ACCESS_TOKEN_TTL: '2s', REFRESH_TOKEN_TTL: '1h' })).toMatchObject({
        accessTokenTtlSeconds: 2,
        refreshTokenTtlSeconds: 3600,
      });
    });

    it('SIGNING_KEY_ROTATION unset, 30d, 59m - manual rotation only, 30 days in seconds, ConfigError: at least 1h', () => {
      expect(loadConfig({}).signingKeyRotationSeconds).toBeUndefined();
      expect(loadConfig({ SIGNING_KEY_ROTATION: '30d' }).signingKeyRotationSeconds).toBe(30 * 86_400);
      expect(configError({ SIGNING_KEY_ROTATION: '59m' }).message).toBe('SIGNING_KEY_ROTATION must be at least 1h');
      expect(configError({ SIGNING_KEY_ROTATION: 'monthly' }).message).toMatch(/^SIGNING_KEY_ROTATION /);
    });

    it('ACCESS_TOKEN_TTL 500ms - ConfigError: at least 1s', () => {
      expect(configError({ ACCESS_TOKEN_TTL: '500ms' }).message).toBe('ACCESS_TOKEN_TTL must be at least 1s');
    });

    it.each([
      ['true', true],
      ['false', false],
      ['2', 2],
      ['loopback', 'loopback'],
      ['10.0.0.0/8', '10.0.0.0/8'],
    ])('TRUST_PROXY=%s - %p', (value, expected) => {
      expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toBe(expected);
    });

    it('mongodb+srv:// URI - accepted as is', () => {
      expect(loadConfig({ MONGODB_URI: 'mongodb+srv://cluster.example/latchkey' }).mongodbUri).toBe(
        'mongodb+srv://cluster.example/latchkey',
      );
    });
  });
});
