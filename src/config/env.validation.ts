import { randomBytes } from 'node:crypto';
import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import ms from 'ms';
import { trustProxyProblem } from './trust-proxy';

/** Lifetimes are written the way `ms` reads them: `90s`, `5m`, `14d`, or bare milliseconds. */
const DURATION = /^\d+(\.\d+)?\s*(ms|s|m|h|d|w|y)?$/i;
/** A rate limit: `30/1m` is 30 attempts per minute. */
const RATE = /^\d+\s*\/\s*\d+(\.\d+)?\s*(ms|s|m|h|d)?$/i;
/** Cookie MACs and the DATA_ENCRYPTION_KEY sub-keys are no stronger than their key: at least the hash output (RFC 7518 §3.2). */
const MIN_SECRET_BYTES = 32;
/** Below 10 a stolen hash database is cheap to crack (OWASP Password Storage Cheat Sheet). */
const MIN_PRODUCTION_BCRYPT_COST = 10;

export class ConfigError extends Error {}

class EnvironmentVariables {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  @IsOptional()
  @Matches(/^mongodb(\+srv)?:\/\//, { message: 'must start with mongodb:// or mongodb+srv://' })
  MONGODB_URI?: string;

  /** Signed access tokens before the signing keys (src/keys/); read only to say it is unused. */
  @IsOptional()
  @IsString()
  JWT_SECRET?: string;

  @IsOptional()
  @IsString()
  COOKIE_SECRET?: string;

  @Matches(DURATION, { message: 'must be a duration such as 5m, 2s or 14d' })
  ACCESS_TOKEN_TTL = '5m';

  @Matches(DURATION, { message: 'must be a duration such as 5m, 2s or 14d' })
  REFRESH_TOKEN_TTL = '14d';

  @Matches(DURATION, { message: 'must be a duration such as 30m, 12h or 7d' })
  SESSION_IDLE_TTL = '7d';

  @Type(() => Number)
  @IsInt()
  @Min(4)
  @Max(31)
  BCRYPT_COST: number = 12;

  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  @Matches(RATE, { message: 'must be attempts per window, such as 30/1m' })
  RATE_LIMIT_PER_IP = '30/1m';

  @Matches(RATE, { message: 'must be attempts per window, such as 10/15m' })
  RATE_LIMIT_PER_ACCOUNT = '10/15m';

  @IsOptional()
  @Matches(/^rediss?:\/\//, { message: 'must start with redis:// or rediss://' })
  REDIS_URL?: string;

  @IsOptional()
  @IsString()
  DATA_ENCRYPTION_KEY?: string;

  @IsOptional()
  @Matches(DURATION, { message: 'must be a duration such as 30d or 12h' })
  SIGNING_KEY_ROTATION?: string;

  @Matches(DURATION, { message: 'must be a duration such as 10m or 5m' })
  REAUTH_WINDOW = '10m';

  @IsOptional()
  @Matches(/^https?:\/\/[^/?#\s]+\/?$/i, { message: 'must be an origin such as https://auth.example.com' })
  APP_URL?: string;

  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/i, { message: 'must start with smtp:// or smtps://' })
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM = 'Latchkey <no-reply@localhost>';

  @Matches(DURATION, { message: 'must be a duration such as 30m, 1h or 90s' })
  RESET_TOKEN_TTL = '30m';

  @Matches(DURATION, { message: 'must be a duration such as 24h, 2d or 30m' })
  VERIFY_TOKEN_TTL = '24h';
}

export interface AppConfig {
  port: number;
  nodeEnv: 'development' | 'production' | 'test';
  isProduction: boolean;
  /** Unset means "start the embedded development database" (never in production). */
  mongodbUri?: string;
  cookieSecret: string;
  /** Names of the secrets that were generated for this process, for the start-up warning. */
  generatedSecrets: string[];
  /** Variables that are set but no longer mean anything, for the start-up warning. */
  unusedVariables: string[];
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Automatic signing-key rotation; unset: keys change only by `npm run keys:rotate`. */
  signingKeyRotationSeconds?: number;
  /** A login unused for this long ends, even before its absolute expiry. */
  sessionIdleTtlSeconds: number;
  bcryptCost: number;
  trustProxy?: boolean | number | string;
  /** Per client IP, per throttled route. */
  rateLimitPerIp: RateLimit;
  /** Per account, on login only. */
  rateLimitPerAccount: RateLimit;
  /** Shares throttling counts between instances; in memory when unset. */
  redisUrl?: string;
  /** Encrypts second-factor secrets and private signing keys at rest (docs/security.md, docs/architecture.md). */
  dataEncryptionKey: string;
  /** How recent a proof of identity must be for a sensitive change. */
  reauthWindowSeconds: number;
  /** The public origin, without a trailing slash: every link in a mail starts with it, never with the Host header. */
  appUrl: string;
  /** Unset outside production: main.ts starts the development mail catcher and fills it in. */
  smtpUrl?: string;
  mailFrom: string;
  /** Where the development mail catcher shows sent mail; linked from the footer. */
  mailCatcherUrl?: string;
  resetTokenTtlSeconds: number;
  verifyTokenTtlSeconds: number;
}

export interface RateLimit {
  limit: number;
  windowMs: number;
}

/**
 * Reads and checks the environment once, before Nest starts, so that a bad
 * value stops start-up with one line that names the variable instead of a
 * stack trace from deep inside a strategy ("JwtStrategy requires a secret or key").
 */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const raw = plainToInstance(EnvironmentVariables, withoutBlanks(env), {
    excludeExtraneousValues: false,
  });
  const [first] = validateSync(raw, { forbidUnknownValues: false });
  if (first) {
    const reason = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    throw new ConfigError(`${first.property} ${reason.replace(new RegExp(`^${first.property} `), '')}`);
  }

  const isProduction = raw.NODE_ENV === 'production';
  const generatedSecrets: string[] = [];
  const secret = (name: 'COOKIE_SECRET' | 'DATA_ENCRYPTION_KEY'): string => {
    const value = raw[name];
    if (value !== undefined && Buffer.byteLength(value) >= MIN_SECRET_BYTES) return value;
    if (isProduction || value !== undefined) {
      throw new ConfigError(
        `${name} must be set to at least ${MIN_SECRET_BYTES} bytes` +
          " (for example: node -e \"console.log(require('crypto').randomBytes(48).toString('base64url'))\")",
      );
    }
    generatedSecrets.push(name);
    return randomBytes(48).toString('base64url');
  };

  if (isProduction && raw.BCRYPT_COST < MIN_PRODUCTION_BCRYPT_COST) {
    throw new ConfigError(`BCRYPT_COST must be at least ${MIN_PRODUCTION_BCRYPT_COST} in production`);
  }
  const proxyProblem = raw.TRUST_PROXY === undefined ? undefined : trustProxyProblem(raw.TRUST_PROXY, isProduction);
  if (proxyProblem) throw new ConfigError(proxyProblem);
  if (isProduction && !raw.MONGODB_URI) {
    throw new ConfigError('MONGODB_URI must be set in production (the embedded database is for development only)');
  }
  if (isProduction && !raw.SMTP_URL) {
    throw new ConfigError('SMTP_URL must be set in production (the mail catcher is for development only)');
  }
  // Links in mail must name the real public origin; guessing it from the
  // Host header would let anyone aim a reset link at their own server.
  if (isProduction && !raw.APP_URL) {
    throw new ConfigError('APP_URL must be set in production (the public origin every link in a mail starts with)');
  }

  const cookieSecret = secret('COOKIE_SECRET');
  const dataEncryptionKey = secret('DATA_ENCRYPTION_KEY');

  return {
    port: raw.PORT,
    nodeEnv: raw.NODE_ENV as AppConfig['nodeEnv'],
    isProduction,
    mongodbUri: raw.MONGODB_URI,
    cookieSecret,
    generatedSecrets,
    unusedVariables: raw.JWT_SECRET === undefined ? [] : ['JWT_SECRET'],
    accessTokenTtlSeconds: durationSeconds('ACCESS_TOKEN_TTL', raw.ACCESS_TOKEN_TTL),
    refreshTokenTtlSeconds: durationSeconds('REFRESH_TOKEN_TTL', raw.REFRESH_TOKEN_TTL),
    signingKeyRotationSeconds:
      raw.SIGNING_KEY_ROTATION === undefined ? undefined : durationSeconds('SIGNING_KEY_ROTATION', raw.SIGNING_KEY_ROTATION, 3600),
    sessionIdleTtlSeconds: durationSeconds('SESSION_IDLE_TTL', raw.SESSION_IDLE_TTL),
    bcryptCost: raw.BCRYPT_COST,
    trustProxy: parseTrustProxy(raw.TRUST_PROXY),
    rateLimitPerIp: parseRate('RATE_LIMIT_PER_IP', raw.RATE_LIMIT_PER_IP),
    rateLimitPerAccount: parseRate('RATE_LIMIT_PER_ACCOUNT', raw.RATE_LIMIT_PER_ACCOUNT),
    redisUrl: raw.REDIS_URL,
    dataEncryptionKey,
    reauthWindowSeconds: durationSeconds('REAUTH_WINDOW', raw.REAUTH_WINDOW),
    appUrl: (raw.APP_URL ?? `http://localhost:${raw.PORT}`).replace(/\/$/, ''),
    smtpUrl: raw.SMTP_URL,
    mailFrom: raw.MAIL_FROM,
    resetTokenTtlSeconds: durationSeconds('RESET_TOKEN_TTL', raw.RESET_TOKEN_TTL),
    verifyTokenTtlSeconds: durationSeconds('VERIFY_TOKEN_TTL', raw.VERIFY_TOKEN_TTL),
  };
}

/** `PORT=` in a .env file means "use the default", not "port zero". */
function withoutBlanks(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== '')) as Record<string, string>;
}

function parseRate(name: string, value: string): RateLimit {
  const [limit, window] = value.split('/');
  const windowMs = ms(window.trim() as ms.StringValue);
  if (Number(limit) < 1 || windowMs < 1000) throw new ConfigError(`${name} must allow at least 1 attempt per window of at least 1s`);
  return { limit: Number(limit), windowMs };
}

function durationSeconds(name: string, value: string, minSeconds = 1): number {
  const millis = ms(value.replace(/\s+/g, '') as ms.StringValue);
  if (!Number.isFinite(millis) || millis < minSeconds * 1000) throw new ConfigError(`${name} must be at least ${ms(minSeconds * 1000)}`);
  return Math.floor(millis / 1000);
}

/** Express accepts a boolean, a hop count, or a list of addresses/subnets. */
function parseTrustProxy(value: string | undefined): AppConfig['trustProxy'] {
  if (value === undefined) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
