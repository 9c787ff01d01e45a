import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { getModelToken, MongooseModule } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { AppConfig } from '../config/env.validation';
import { DataKeys } from '../mfa/data-keys';
import { JwksController } from './jwks.controller';
import { SigningKey, SigningKeySchema } from './signing-key.schema';
import { SigningKeyStore } from './signing-key-store';
import { SigningKeysService } from './signing-keys.service';

/** The keys that sign access tokens, their rotation, and the JWKS that publishes them (docs/architecture.md). */
@Module({
  imports: [MongooseModule.forFeature([{ name: SigningKey.name, schema: SigningKeySchema }])],
  controllers: [JwksController],
  providers: [
    {
      provide: SigningKeyStore,
      inject: [getModelToken(SigningKey.name), ConfigService],
      useFactory: (model: Model<SigningKey>, config: ConfigService<AppConfig, true>) =>
        new SigningKeyStore(model, new DataKeys(config.get('dataEncryptionKey', { infer: true }))),
    },
    SigningKeysService,
  ],
  exports: [SigningKeysService],
})
export class KeysModule {}
