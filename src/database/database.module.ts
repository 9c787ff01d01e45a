import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import mongoose from 'mongoose';
import { AppConfig } from '../config/env.validation';

@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => {
        // A second layer under DTO validation: operator objects such as
        // {"$ne": null} in a filter are wrapped in $eq instead of obeyed.
        mongoose.set('sanitizeFilter', true);
        return {
          uri: config.get('mongodbUri', { infer: true }),
          serverSelectionTimeoutMS: 5_000,
          // Index builds are awaited explicitly by the services that depend on them.
          autoIndex: false,
        };
      },
    }),
  ],
})
export class DatabaseModule {}
