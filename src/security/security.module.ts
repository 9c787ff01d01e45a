import { Global, Module } from '@nestjs/common';
import { SecurityEvents } from './security-events';
import { ThrottlingModule } from './throttling/throttling.module';

@Global()
@Module({ imports: [ThrottlingModule], providers: [SecurityEvents], exports: [SecurityEvents, ThrottlingModule] })
export class SecurityModule {}
