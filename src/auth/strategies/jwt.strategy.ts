import { Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../../config/env.validation';
import { accessTokenKey } from '../access-token-key';
import { AuthCookies } from '../auth-cookies';
import { AccessTokenClaims, AuthUser } from '../auth-user';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(config: ConfigService<AppConfig, true>, cookies: AuthCookies) {
    super({
      // The header wins over the cookie: a request that carries any
      // Authorization header is authenticated by it alone (AuthCookies reads
      // no cookie of such a request), which is why it may skip CSRF checks.
      jwtFromRequest: ExtractJwt.fromExtractors([
        ExtractJwt.fromAuthHeaderAsBearerToken(),
        (req: Request) => cookies.accessToken(req) ?? null,
      ]),
      // passport-jwt hands this to jsonwebtoken, which accepts a KeyObject;
      // its own typings only list string | Buffer.
      secretOrKey: accessTokenKey(config.get('jwtSecret', { infer: true })) as unknown as Buffer,
      // Pinned, so `alg: none` or an RS/HS confusion is refused by the library.
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  validate(claims: AccessTokenClaims): AuthUser {
    // jsonwebtoken accepts a token without exp; an access token must have one.
    if (claims.typ !== 'access' || typeof claims.exp !== 'number' || typeof claims.sid !== 'string') {
      throw new UnauthorizedException('Invalid access token');
    }
    return {
      id: claims.sub,
      username: claims.username,
      email: claims.email,
      roles: claims.roles,
      emailVerified: claims.email_verified === true,
      sessionId: claims.sid,
    };
  }
}
