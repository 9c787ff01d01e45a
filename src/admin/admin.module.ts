import { Module } from '@nestjs/common';
import { MfaModule } from '../mfa/mfa.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';

@Module({
  imports: [UsersModule, SessionsModule, MfaModule],
  controllers: [AdminController],
  providers: [AdminService],
})
export class AdminModule {}
