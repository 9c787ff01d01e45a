import { Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../../config/env.validation';
import { SIGNING_ALGORITHM } from '../../keys/signing-key-store';
import { SigningKeysService, VerificationKey } from '../../keys/signing-keys.service';
import { AuthCookies } from '../auth-cookies';
import { AccessTokenClaims, AuthUser } from '../auth-user';
import { VerifiedTokens } from './verified-tokens';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  private readonly extract: (req: Request) => string | null;
  private readonly verified = new VerifiedTokens();

  constructor(
    config: ConfigService<AppConfig, true>,
    cookies: AuthCookies,
    private readonly keys: SigningKeysService,
  ) {
    // The header wins over the cookie: a request that carries any
    // Authorization header is authenticated by it alone (AuthCookies reads
    // no cookie of such a request), which is why it may skip CSRF checks.
    const extract = ExtractJwt.fromExtractors([
      ExtractJwt.fromAuthHeaderAsBearerToken(),
      (req: Request) => cookies.accessToken(req) ?? null,
    ]);
    super({
      jwtFromRequest: extract,
      passReqToCallback: true,
      // The key the token's kid names, used only with that key's own
      // algorithm: `none`, HS256 keyed with the public key and unknown or
      // retired kids all fail here or in jsonwebtoken, as 401.
      secretOrKeyProvider: (_req: Request, rawJwt: string, done: (error: Error | null, key?: Buffer) => void) => {
        const header = jsonSegment(rawJwt, 0);
        // jsonwebtoken throws on a payload of `null` instead of refusing it,
        // and a throw from this callback's async path would hang the request.
        if (!header || !jsonSegment(rawJwt, 1)) return done(new UnauthorizedException('Invalid access token'));
        const answer = (key: VerificationKey | undefined) =>
          // passport-jwt hands the key to jsonwebtoken, which accepts a KeyObject; its typings only list string | Buffer.
          key && header.alg === key.alg
            ? done(null, key.publicKey as unknown as Buffer)
            : done(new UnauthorizedException('Invalid access token'));
        // Known kids, nearly every request, are answered at once; only an unknown one waits for a reload.
        const known = keys.knownKey(header.kid);
        if (known) return answer(known);
        keys.verificationKey(header.kid).then(answer, done);
      },
      algorithms: [SIGNING_ALGORITHM],
      issuer: config.get('appUrl', { infer: true }),
      ignoreExpiration: false,
    });
    this.extract = extract;
  }

  /** A token verified before answers from VerifiedTokens; any other goes through passport-jwt's full verification. */
  override authenticate(req: Request, options?: object): void {
    const token = this.extract(req);
    const user = token ? this.verified.get(token, (kid) => this.keys.knownKey(kid) !== undefined) : undefined;
    if (user) return this.success(user);
    super.authenticate(req, options);
  }

  validate(req: Request, claims: AccessTokenClaims): AuthUser {
    // jsonwebtoken accepts a token without exp; an access token must have one.
    if (claims.typ !== 'access' || typeof claims.exp !== 'number' || typeof claims.sid !== 'string') {
      throw new UnauthorizedException('Invalid access token');
    }
    const user: AuthUser = {
      id: claims.sub,
      username: claims.username,
      email: claims.email,
      roles: claims.roles,
      emailVerified: claims.email_verified === true,
      sessionId: claims.sid,
    };
    // Only now, after passport-jwt verified signature, algorithm, issuer and expiry with the kid's key.
    const token = this.extract(req)!;
    this.verified.remember(token, jsonSegment(token, 0)!.kid as string, claims.exp, user);
    return user;
  }
}

/** A JWT segment as a JSON object, unverified (only to find the key that will verify it); undefined when it is not one. */
function jsonSegment(rawJwt: string, index: number): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(rawJwt.split('.')[index] ?? '', 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
