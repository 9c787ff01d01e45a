import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { AppConfig } from '../config/env.validation';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { CodeAttempts } from './code-attempts';
import { DataKeys } from './data-keys';
import { FactorClaims } from './factor-claims';
import { FactorNotices } from './factor-notices';
import { PasskeysService } from './passkeys.service';
import { PendingLoginCookie } from './pending-login.cookie';
import { PendingLogins } from './pending-logins';
import { RecentAuthGuard } from './recent-auth.guard';
import { ReauthService } from './reauth.service';
import { FactorClaim, FactorClaimSchema } from './schemas/factor-claim.schema';
import { Passkey, PasskeySchema } from './schemas/passkey.schema';
import { ReauthProof, ReauthProofSchema } from './schemas/reauth-proof.schema';
import { SecondFactor, SecondFactorSchema } from './schemas/second-factor.schema';
import { WebauthnChallenge, WebauthnChallengeSchema } from './schemas/webauthn-challenge.schema';
import { SecondFactorLogin } from './second-factor-login';
import { SecondFactorService } from './second-factor.service';
import { VerifiedEmailGuard } from './verified-email.guard';

/**
 * The second factor's state and rules: TOTP, recovery codes, passkeys,
 * pending logins and re-authentication. It imports nothing from auth/, so
 * the login path can ask it questions without a cycle; the routes live in
 * MfaRoutesModule.
 */
@Module({
  imports: [
    UsersModule,
    SessionsModule,
    MongooseModule.forFeature([
      { name: SecondFactor.name, schema: SecondFactorSchema },
      { name: FactorClaim.name, schema: FactorClaimSchema },
      { name: ReauthProof.name, schema: ReauthProofSchema },
      { name: Passkey.name, schema: PasskeySchema },
      { name: WebauthnChallenge.name, schema: WebauthnChallengeSchema },
    ]),
  ],
  providers: [
    {
      provide: DataKeys,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => new DataKeys(config.get('dataEncryptionKey', { infer: true })),
    },
    FactorClaims,
    FactorNotices,
    SecondFactorService,
    PendingLogins,
    CodeAttempts,
    ReauthService,
    PasskeysService,
    SecondFactorLogin,
    PendingLoginCookie,
    RecentAuthGuard,
    VerifiedEmailGuard,
  ],
  exports: [
    SecondFactorService,
    SecondFactorLogin,
    ReauthService,
    PasskeysService,
    PendingLoginCookie,
    RecentAuthGuard,
    VerifiedEmailGuard,
  ],
})
export class MfaModule {}
