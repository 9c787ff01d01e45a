import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import mongoose from 'mongoose';
import { AppConfig } from '../config/env.validation';

/** How long a request waits for an unreachable database before it gets a 503. */
const OUTAGE_TIMEOUT_MS = 3_000;

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
          // Fail fast while the database is away (503, see describeException)
          // instead of holding requests; the driver reconnects by itself.
          serverSelectionTimeoutMS: OUTAGE_TIMEOUT_MS,
          bufferTimeoutMS: OUTAGE_TIMEOUT_MS,
          // Index builds are awaited explicitly by the services that depend on them.
          autoIndex: false,
          // A database that is down at start is waited for, not given up on:
          // the app starts serving as soon as it appears.
          retryAttempts: Number.MAX_SAFE_INTEGER,
          retryDelay: 2_000,
          connectionErrorFactory: (error: Error) => {
            new Logger('Database').warn(`Cannot reach the database (${error.message}); retrying every 2s…`);
            return error;
          },
        };
      },
    }),
  ],
})
export class DatabaseModule {}
