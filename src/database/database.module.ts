import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import mongoose from 'mongoose';
import { AppConfig } from '../config/env.validation';
import { waitForDatabase } from './wait-for-database';

/** How long a request waits for an unreachable database before it gets a 503. */
const OUTAGE_TIMEOUT_MS = 3_000;

@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [ConfigService],
      useFactory: async (config: ConfigService<AppConfig, true>) => {
        // A second layer under DTO validation: operator objects such as
        // {"$ne": null} in a filter are wrapped in $eq instead of obeyed.
        mongoose.set('sanitizeFilter', true);
        // Otherwise every query captures a stack trace, only to decorate a
        // "query was already executed" error: 2.5% of a login's CPU
        // (docs/performance.md).
        mongoose.set('skipOriginalStackTraces', true);
        const uri = config.getOrThrow('mongodbUri', { infer: true });
        await waitForDatabase(uri);
        return {
          uri,
          // Fail fast while the database is away (503, see describeException)
          // instead of holding requests; the driver reconnects by itself.
          serverSelectionTimeoutMS: OUTAGE_TIMEOUT_MS,
          bufferTimeoutMS: OUTAGE_TIMEOUT_MS,
          // Index builds are awaited explicitly by the services that depend on them.
          autoIndex: false,
          // Reachability was awaited above; this covers a blip in between.
          retryAttempts: 3,
          retryDelay: 1_000,
        };
      },
    }),
  ],
})
export class DatabaseModule {}
