import { Global, Module } from '@nestjs/common';
import { Mailer } from './mailer.service';
import { Outbox } from './outbox.service';

/** Global like SecurityModule: any feature may send a notice. */
@Global()
@Module({ providers: [Mailer, Outbox], exports: [Mailer, Outbox] })
export class MailModule {}
