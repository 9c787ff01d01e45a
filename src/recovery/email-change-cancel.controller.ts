import { Body, Controller, Header, HttpCode, HttpStatus, Post, Query, Res, UseFilters } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/decorators/public.decorator';
import { Client } from '../common/http/client.decorator';
import { ClientInfo } from '../common/http/request-kind';
import { seeOther } from '../common/http/see-other';
import { setFlash } from '../common/views/flash';
import { COPY } from '../common/views/copy';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { ApiSeeOther } from '../openapi/api-see-other.decorator';
import { RateLimited } from '../security/throttling/rate-limited.decorator';
import { ConfirmLinkDto } from './dto/recovery.dto';
import { LinkWorksResponse, RecoveryMessageResponse } from './dto/recovery.responses';
import { CANCEL_PATH, EmailVerificationService } from './email-verification.service';
import { LinkPage } from './link-page.decorator';
import { CANCEL_AGAIN, LinkPageFilter, tokenOf } from './link-page.filter';
import { RecoveryErrors } from './recovery.errors';

const cancelPage = (_: unknown, req: Request) => ({
  title: 'Cancel the address change',
  heading: 'Cancel the change of your email address',
  explanation: 'Press Cancel the change to keep this address. If you did not ask for the change, reset your password next.',
  action: CANCEL_PATH,
  button: 'Cancel the change',
  token: tokenOf(req),
});

/**
 * The link in the "change requested" mail to the old address. It needs no
 * login: the owner of a stolen password may have none left. The GET only
 * shows a button (mail scanners open links); the POST cancels and sends the
 * browser on to choose a new password.
 */
@Public()
@Controller(CANCEL_PATH.slice(1))
export class EmailChangeCancelController {
  constructor(private readonly verification: EmailVerificationService) {}

  @LinkPage('', CANCEL_AGAIN, { template: 'auth/confirm-link', pageModel: cancelPage, okType: LinkWorksResponse })
  async page(@Query('token') token: unknown) {
    await this.verification.checkCancel(token);
    return { valid: true };
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @Header('Referrer-Policy', 'no-referrer')
  @RateLimited()
  @UseFilters(new LinkPageFilter(CANCEL_AGAIN))
  @ApiOkResponse({ type: RecoveryMessageResponse, description: 'Cancelled: no pending address change of the account can be confirmed.' })
  @ApiSeeOther('A form: on to /auth/forgot, to choose a new password.')
  @ApiErrors(RecoveryErrors.TOKEN_INVALID, 503)
  async cancel(@Body() dto: ConfirmLinkDto, @Client() client: ClientInfo, @Res({ passthrough: true }) res: Response) {
    await this.verification.cancelChange(dto.token, client.ip);
    setFlash(res, '/auth/forgot', { notice: 'emailChangeCancelled' });
    return seeOther('/auth/forgot', { body: { message: COPY.notices.emailChangeCancelled } });
  }
}
