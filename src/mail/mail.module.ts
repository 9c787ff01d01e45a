import { Global, Module } from '@nestjs/common';
import { Mailer } from './mailer';
import { Outbox } from './outbox';

/** Global like SecurityModule: any feature may send a notice. */
@Global()
@Module({ providers: [Mailer, Outbox], exports: [Mailer, Outbox] })
export class MailModule {}
