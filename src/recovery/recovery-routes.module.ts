import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AccountEmailController } from './account-email.controller';
import { EmailChangeCancelController } from './email-change-cancel.controller';
import { EmailVerificationController } from './email-verification.controller';
import { PasswordResetController } from './password-reset.controller';
import { RecoveryModule } from './recovery.module';

/** The routes of account recovery and verified email (docs/security.md). */
@Module({
  imports: [RecoveryModule, AuthModule],
  controllers: [PasswordResetController, EmailVerificationController, EmailChangeCancelController, AccountEmailController],
})
export class RecoveryRoutesModule {}
