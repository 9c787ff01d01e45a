import { ApiProperty } from '@nestjs/swagger';
import type { PendingConfirmation } from '../email-verification.service';

/** What happened, in words a person can act on. */
export class RecoveryMessageResponse {
  @ApiProperty({ example: 'If an account has that address, we sent it a link to choose a new password.' })
  message: string;
}

/** GET of a link page (reset, cancel) for a JSON client: the link still works; nothing was changed. */
export class LinkWorksResponse {
  @ApiProperty({ enum: [true] })
  valid: true;
}

/** GET /auth/verify-email for a JSON client: what confirming the link will do; nothing was changed. */
export class PendingConfirmationResponse implements PendingConfirmation {
  @ApiProperty({
    enum: ['verify', 'email_change'],
    description: '`verify`: confirms the address; `email_change`: makes it the address of the account.',
  })
  kind: 'verify' | 'email_change';

  @ApiProperty({ format: 'email' })
  email: string;
}
