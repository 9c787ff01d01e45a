import { Body, Controller, Get, Post, Query, Render, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthCookies } from '../auth/auth-cookies';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { Sensitive } from '../auth/decorators/sensitive.decorator';
import { Client } from '../common/http/client.decorator';
import { ClientInfo } from '../common/http/request-kind';
import { seeOther } from '../common/http/see-other';
import { FormPage } from '../common/views/form-page';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { ApiSeeOther } from '../openapi/api-see-other.decorator';
import { RateLimited } from '../security/throttling/rate-limited.decorator';
import { AccountDeletionService } from './account-deletion.service';
import { ChangeEmailDto, DeleteAccountDto } from './dto/recovery.dto';
import { RecoveryMessageResponse } from './dto/recovery.responses';
import { EmailVerificationService } from './email-verification.service';
import { RecoveryErrors } from './recovery.errors';

const EMAIL_TITLE = 'Change email address';
const DELETE_TITLE = 'Delete your account';

/** The account's address and its end: each checks the current password and the login against the database. */
@Sensitive()
@Controller('account')
export class AccountEmailController {
  constructor(
    private readonly verification: EmailVerificationService,
    private readonly deletion: AccountDeletionService,
    private readonly cookies: AuthCookies,
  ) {}

  @Get('email')
  @Render('account/email')
  emailPage(@CurrentUser() user: AuthUser, @Query('sent') sent?: string) {
    return { title: EMAIL_TITLE, currentEmail: user.email, sent: sent === '1', values: {}, errors: {} };
  }

  @Post('email')
  @FormPage('account/email', EMAIL_TITLE)
  @RateLimited()
  @ApiAcceptedResponse({
    type: RecoveryMessageResponse,
    description: 'A link went to the new address; the address changes when it is confirmed.',
  })
  @ApiSeeOther('A form: back to /account/email with a confirmation.')
  @ApiErrors(RecoveryErrors.WRONG_PASSWORD, RecoveryErrors.EMAIL_TAKEN, RecoveryErrors.SAME_EMAIL, RecoveryErrors.TOO_MANY_MAILS, 503)
  async changeEmail(@CurrentUser() user: AuthUser, @Body() dto: ChangeEmailDto, @Client() client: ClientInfo) {
    await this.verification.requestChange(user.id, dto.newEmail, dto.currentPassword, client.ip);
    return seeOther('/account/email?sent=1', {
      status: 202,
      body: { message: 'We sent a link to the new address. The address changes when it is confirmed.' },
    });
  }

  @Post('verify-email/resend')
  @RateLimited()
  @ApiAcceptedResponse({ type: RecoveryMessageResponse, description: 'A new link is on its way, unless the address is verified already.' })
  @ApiSeeOther('A form: back to /profile.')
  @ApiErrors(RecoveryErrors.TOO_MANY_MAILS, 503)
  async resend(@CurrentUser() user: AuthUser, @Client() client: ClientInfo) {
    await this.verification.resend(user.id, client.ip);
    return seeOther('/profile', { status: 202, body: { message: 'If your address is not verified yet, a new link is on its way.' } });
  }

  @Get('delete')
  @Render('account/delete')
  deletePage() {
    return { title: DELETE_TITLE, values: {}, errors: {} };
  }

  @Post('delete')
  @FormPage('account/delete', DELETE_TITLE)
  @RateLimited()
  @ApiNoContentResponse({ description: 'Deleted, with every session and link of the account; any cookies cleared.' })
  @ApiSeeOther('A form: on to /.')
  @ApiErrors(RecoveryErrors.WRONG_PASSWORD, RecoveryErrors.LAST_ADMIN, 503)
  async delete(
    @CurrentUser() user: AuthUser,
    @Body() dto: DeleteAccountDto,
    @Client() client: ClientInfo,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.deletion.delete(user.id, dto.currentPassword, client.ip);
    this.cookies.clear(res);
    return seeOther('/', { status: 204 });
  }
}
