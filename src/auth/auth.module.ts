import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { KeysModule } from '../keys/keys.module';
import { MfaModule } from '../mfa/mfa.module';
import { RecoveryModule } from '../recovery/recovery.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { AuthCookies } from './auth-cookies';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { ActiveSessionGuard } from './guards/active-session.guard';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { RolesGuard } from './guards/roles.guard';
import { JwtStrategy } from './strategies/jwt.strategy';
import { RefreshRejectedFilter } from './refresh-rejected.filter';
import { signInRedirectProvider } from './sign-in-redirect.provider';
import { LocalStrategy } from './strategies/local.strategy';
import { TokensService } from './tokens.service';

@Module({
  imports: [
    UsersModule,
    SessionsModule,
    MfaModule,
    RecoveryModule,
    PassportModule,
    KeysModule,
    // No module-wide key: TokensService passes the current signing key on every call.
    JwtModule.register({}),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    TokensService,
    AuthCookies,
    LocalStrategy,
    JwtStrategy,
    RefreshRejectedFilter,
    signInRedirectProvider,
    // Global guards, run in this order: who is calling, is their login still
    // live (only on @Sensitive routes), and may they do this (@Roles).
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: ActiveSessionGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  // AuthService: the address confirmation refreshes its caller's claims (src/recovery/).
  exports: [AuthCookies, AuthService, signInRedirectProvider],
})
export class AuthModule {}
