import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MfaModule } from '../mfa/mfa.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { AccountDeletionService } from './account-deletion.service';
import { EmailVerificationService } from './email-verification.service';
import { LinkTokens } from './link-tokens';
import { MailRateLimit } from './mail-rate-limit';
import { PasswordChanges } from './password-changes';
import { PasswordResetService } from './password-reset.service';
import { LinkToken, LinkTokenSchema, LinkTokenUse, LinkTokenUseSchema } from './schemas/link-token.schema';

/**
 * The services of account recovery and verified email, without routes: the
 * sign-up in AuthModule uses EmailVerificationService, and the routes in
 * RecoveryRoutesModule use AuthModule, so the two halves keep the imports
 * one-way.
 */
@Module({
  imports: [
    UsersModule,
    SessionsModule,
    MfaModule,
    MongooseModule.forFeature([
      { name: LinkToken.name, schema: LinkTokenSchema },
      { name: LinkTokenUse.name, schema: LinkTokenUseSchema },
    ]),
  ],
  providers: [LinkTokens, MailRateLimit, PasswordChanges, PasswordResetService, EmailVerificationService, AccountDeletionService],
  exports: [PasswordResetService, EmailVerificationService, AccountDeletionService, PasswordChanges],
})
export class RecoveryModule {}
