import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../config/env.validation';
import { SIGNING_ALGORITHM } from '../keys/signing-key-store';
import { SigningKeysService } from '../keys/signing-keys.service';
import { PublicUser } from '../users/public-user';
import { AccessTokenClaims } from './auth-user';

@Injectable()
export class TokensService {
  readonly accessTtlSeconds: number;
  private readonly issuer: string;

  constructor(
    private readonly jwt: JwtService,
    private readonly keys: SigningKeysService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.accessTtlSeconds = config.get('accessTokenTtlSeconds', { infer: true });
    this.issuer = config.get('appUrl', { infer: true });
  }

  /** Signed by the current key, named in the header so any instance or service can find its public half. */
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
    const { kid, privateKey } = this.keys.signer();
    return this.jwt.signAsync(claims, {
      // @nestjs/jwt hands this to jsonwebtoken, which accepts a KeyObject; its typings only list string | Buffer.
      privateKey: privateKey as unknown as Buffer,
      algorithm: SIGNING_ALGORITHM,
      keyid: kid,
      issuer: this.issuer,
      expiresIn: this.accessTtlSeconds,
    });
  }
}
