import { Global, Module } from '@nestjs/common';
import { SecurityEvents } from './security-events.service';

@Global()
@Module({ providers: [SecurityEvents], exports: [SecurityEvents] })
export class SecurityModule {}
