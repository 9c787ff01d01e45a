import { Body, Controller, HttpCode, HttpStatus, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthCookies } from '../auth/auth-cookies';
import { AuthUser } from '../auth/auth-user';
import { AuthService } from '../auth/auth.service';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { Public } from '../auth/decorators/public.decorator';
import { Client } from '../common/http/client.decorator';
import { ClientInfo } from '../common/http/request-kind';
import { seeOther } from '../common/http/see-other';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { ApiSeeOther } from '../openapi/api-see-other.decorator';
import { RateLimited } from '../security/throttling/rate-limited.decorator';
import { RefreshRejected } from '../sessions/sessions.service';
import { ConfirmLinkDto } from './dto/recovery.dto';
import { PendingConfirmationResponse, RecoveryMessageResponse } from './dto/recovery.responses';
import { EmailVerificationService, PendingConfirmation } from './email-verification.service';
import { LinkPage } from './link-page.decorator';
import { LinkPageFilter, tokenOf, VERIFY_AGAIN } from './link-page.filter';
import { RecoveryErrors } from './recovery.errors';

function confirmPage(pending: PendingConfirmation, req: Request) {
  const change = pending.kind === 'email_change';
  return {
    title: change ? 'Confirm your new address' : 'Confirm your address',
    heading: change ? 'Confirm your new email address' : 'Confirm your email address',
    explanation: change
      ? `Press Confirm to make ${pending.email} the address of your account.`
      : `Press Confirm to verify that ${pending.email} is your address.`,
    action: '/auth/verify-email',
    button: 'Confirm',
    token: tokenOf(req),
  };
}

@Public()
@Controller('auth/verify-email')
export class EmailVerificationController {
  constructor(
    private readonly verification: EmailVerificationService,
    private readonly auth: AuthService,
    private readonly cookies: AuthCookies,
  ) {}

  /** One button and no change: a mail scanner opening the link confirms nothing. */
  @LinkPage('', VERIFY_AGAIN, { template: 'auth/confirm-link', pageModel: confirmPage, okType: PendingConfirmationResponse })
  page(@Query('token') token: unknown) {
    return this.verification.check(token);
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @RateLimited()
  @UseFilters(new LinkPageFilter(VERIFY_AGAIN))
  @ApiOkResponse({
    type: RecoveryMessageResponse,
    description: 'Verified, or the address changed. A logged-in owner sending its refresh cookie gets rotated cookies carrying it.',
  })
  @ApiSeeOther('A form: on to /profile when logged in, else to /auth/login.')
  @ApiErrors(RecoveryErrors.TOKEN_INVALID, 403, RecoveryErrors.EMAIL_TAKEN, 503)
  async confirm(
    @Body() dto: ConfirmLinkDto,
    @CurrentUser() user: AuthUser | undefined,
    @Client() client: ClientInfo,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const confirmed = await this.verification.confirm(dto.token, client.ip);
    if (user?.id === confirmed.userId) await this.refreshClaims(req, res, client);
    const message = confirmed.kind === 'email_change' ? 'Your email address was changed.' : 'Your email address is verified.';
    return seeOther(user ? '/profile' : '/auth/login', { body: { message } });
  }

  /**
   * The access token carries the address and whether it is verified; this
   * browser rotates its refresh token now (the cookie reaches /auth paths),
   * so its profile shows the change at once rather than at the next refresh.
   */
  private async refreshClaims(req: Request, res: Response, client: ClientInfo): Promise<void> {
    const refreshToken = this.cookies.refreshToken(req);
    if (!refreshToken) return;
    try {
      this.cookies.set(res, await this.auth.refresh(refreshToken, client));
    } catch (error) {
      if (!(error instanceof RefreshRejected)) throw error;
    }
  }
}
