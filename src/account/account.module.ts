import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { RecoveryModule } from '../recovery/recovery.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { AccountController } from './account.controller';
import { AccountService } from './account.service';
import { PasswordController } from './password.controller';
import { SessionsController } from './sessions.controller';

@Module({
  imports: [AuthModule, UsersModule, SessionsModule, RecoveryModule],
  controllers: [AccountController, SessionsController, PasswordController],
  providers: [AccountService],
})
export class AccountModule {}
