import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { AccountModule } from './account/account.module';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { AppExceptionFilter } from './common/filters/app-exception.filter';
import { NegotiationInterceptor } from './common/http/negotiation.interceptor';
import { createValidationPipe } from './common/validation/validation.pipe';
import { AppConfig } from './config/env.validation';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { HomeModule } from './home/home.module';
import { MfaRoutesModule } from './mfa/mfa-routes.module';
import { MailModule } from './mail/mail.module';
import { RecoveryRoutesModule } from './recovery/recovery-routes.module';
import { OpenApiModule } from './openapi/openapi.module';
import { SecurityModule } from './security/security.module';

@Module({})
export class AppModule {
  /**
   * The configuration is loaded and checked before Nest starts (main.ts), so
   * a bad environment fails with one line, and tests can pass their own.
   */
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => config] }),
        DatabaseModule,
        SecurityModule,
        MailModule,
        AuthModule,
        AccountModule,
        AdminModule,
        MfaRoutesModule,
        RecoveryRoutesModule,
        HomeModule,
        HealthModule,
        OpenApiModule,
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: AppExceptionFilter },
        { provide: APP_INTERCEPTOR, useClass: NegotiationInterceptor },
      ],
    };
  }
}
