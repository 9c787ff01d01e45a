import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { UsersModule } from '../users/users.module';
import { AdminSecondFactorController } from './admin-second-factor.controller';
import { MfaModule } from './mfa.module';
import { PasskeyLoginController } from './passkey-login.controller';
import { ReauthController } from './reauth.controller';
import { SecurityController } from './security.controller';
import { TwoFactorLoginController } from './two-factor-login.controller';

/**
 * The second factor's routes. Apart from MfaModule because they start
 * sessions (AuthModule), while AuthModule's login asks MfaModule whether a
 * second factor is owed: one direction each, no cycle.
 */
@Module({
  imports: [AuthModule, MfaModule, UsersModule],
  controllers: [TwoFactorLoginController, PasskeyLoginController, ReauthController, SecurityController, AdminSecondFactorController],
})
export class MfaRoutesModule {}
