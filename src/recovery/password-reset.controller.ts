import { Body, Controller, Get, Header, HttpCode, HttpStatus, Post, Query, Render, Res, UseFilters } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/decorators/public.decorator';
import { Client, SentJson } from '../common/http/client.decorator';
import { ClientInfo } from '../common/http/request-kind';
import { seeOther } from '../common/http/see-other';
import { View } from '../common/http/view.decorator';
import { FormPage } from '../common/views/form-page';
import { MfaErrors } from '../mfa/mfa.errors';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { ApiSeeOther } from '../openapi/api-see-other.decorator';
import { RateLimited } from '../security/throttling/rate-limited.decorator';
import { ForgotPasswordDto, ResetPasswordDto } from './dto/recovery.dto';
import { RecoveryMessageResponse, LinkWorksResponse } from './dto/recovery.responses';
import { LinkPage } from './link-page.decorator';
import { LinkPageFilter, RESET_AGAIN, tokenOf } from './link-page.filter';
import { PasswordResetService } from './password-reset.service';
import { RecoveryErrors } from './recovery.errors';

const FORGOT_TITLE = 'Forgot your password?';
const RESET_TITLE = 'Choose a new password';
/** The one answer to every forgot-password request, account or not. */
export const FORGOT_MESSAGE = 'If an account has that address, we sent it a link to choose a new password.';
export const RESET_MESSAGE = 'Your password was changed and every session was logged out. Log in with the new password.';

@Public()
@Controller('auth')
export class PasswordResetController {
  constructor(private readonly resets: PasswordResetService) {}

  @Get('forgot')
  @Render('auth/forgot')
  forgotPage() {
    return { title: FORGOT_TITLE, values: {}, errors: {} };
  }

  /** 200 page for a form, 202 for JSON: the request is taken, nothing more is promised. */
  @Post('forgot')
  @HttpCode(HttpStatus.OK)
  @FormPage('auth/forgot', FORGOT_TITLE)
  @RateLimited()
  @View('auth/forgot', () => ({ title: FORGOT_TITLE, sent: true, values: {}, errors: {} }))
  @ApiAcceptedResponse({
    type: RecoveryMessageResponse,
    description: 'Taken: the same answer, in about the same time, whether or not an account has that address.',
  })
  @ApiErrors(RecoveryErrors.TOO_MANY_MAILS)
  async forgot(
    @Body() dto: ForgotPasswordDto,
    @Client() client: ClientInfo,
    @SentJson() api: boolean,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.resets.forgot(dto.email, client.ip);
    if (api) res.status(HttpStatus.ACCEPTED);
    return { message: FORGOT_MESSAGE };
  }

  /**
   * Shows the form and changes nothing: mail scanners open links. No
   * Referer leaves this page, since its URL holds the token.
   */
  @LinkPage('reset', RESET_AGAIN, {
    template: 'auth/reset',
    pageModel: (_: unknown, req: Request) => ({ title: RESET_TITLE, token: tokenOf(req), values: {}, errors: {} }),
    okType: LinkWorksResponse,
  })
  async resetPage(@Query('token') token: unknown) {
    await this.resets.check(token);
    return { valid: true };
  }

  @Post('reset')
  @HttpCode(HttpStatus.OK)
  @Header('Referrer-Policy', 'no-referrer')
  @RateLimited()
  @UseFilters(new LinkPageFilter(RESET_AGAIN, { view: 'auth/reset', title: RESET_TITLE }))
  @ApiOkResponse({
    type: RecoveryMessageResponse,
    description: 'Changed: every session of the account ended; log in with the new password.',
  })
  @ApiSeeOther('A form: changed, on to /auth/login (not logged in).')
  @ApiErrors(RecoveryErrors.TOKEN_INVALID, MfaErrors.CODE_INVALID, RecoveryErrors.PASSWORD_IS_USERNAME, MfaErrors.TOO_MANY_CODES, 503)
  async reset(@Body() dto: ResetPasswordDto, @Client() client: ClientInfo) {
    await this.resets.reset(dto.token, dto.newPassword, client.ip, dto.code);
    // Not logged in: the person proves the new password once (the contract's "sent to log in").
    return seeOther('/auth/login', { body: { message: RESET_MESSAGE } });
  }
}
