import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../config/env.validation';
import { PublicUser } from '../users/public-user';
import { AccessTokenClaims } from './auth-user';

@Injectable()
export class TokensService {
  readonly accessTtlSeconds: number;

  constructor(
    private readonly jwt: JwtService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.accessTtlSeconds = config.get('accessTokenTtlSeconds', { infer: true });
  }

  /** Algorithm and lifetime come from JwtModule's signOptions (auth.module.ts). */
  signAccess(user: PublicUser, sessionId: string): Promise<string> {
    const claims: AccessTokenClaims = {
      sub: user.id,
      username: user.username,
      email: user.email,
      roles: user.roles,
      sid: sessionId,
      email_verified: user.emailVerified,
      typ: 'access',
    };
    return this.jwt.signAsync(claims);
  }
}
