import { Body, Controller, Get, HttpCode, HttpStatus, Post, Render, Res } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { Sensitive } from '../auth/decorators/sensitive.decorator';
import { Client } from '../common/http/client.decorator';
import { ClientInfo } from '../common/http/request-kind';
import { seeOther } from '../common/http/see-other';
import { setFlash } from '../common/views/flash';
import { FormPage } from '../common/views/form-page';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { ApiSeeOther } from '../openapi/api-see-other.decorator';
import { RateLimited } from '../security/throttling/rate-limited.decorator';
import { AccountErrors } from './account.errors';
import { AccountService } from './account.service';
import { PasswordChangedResponse } from './dto/account.responses';
import { ChangePasswordDto } from './dto/change-password.dto';

const TITLE = 'Change password';

@Sensitive()
@Controller('account/password')
export class PasswordController {
  constructor(private readonly account: AccountService) {}

  @Get()
  @Render('account/password')
  page() {
    return { title: TITLE, values: {}, errors: {} };
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @FormPage('account/password', TITLE)
  @RateLimited()
  @ApiOkResponse({ type: PasswordChangedResponse, description: 'Changed; every other login is ended.' })
  @ApiSeeOther('A form: changed, back to the form with a confirmation.')
  @ApiErrors(AccountErrors.WRONG_CURRENT_PASSWORD, AccountErrors.PASSWORD_IS_USERNAME, 503)
  async change(
    @CurrentUser() user: AuthUser,
    @Body() dto: ChangePasswordDto,
    @Client() client: ClientInfo,
    @Res({ passthrough: true }) res: Response,
  ) {
    const endedSessions = await this.account.changePassword(user, dto, client.ip);
    setFlash(res, '/account/password', { notice: 'passwordChanged' });
    return seeOther('/account/password', { body: { message: 'Password changed.', endedSessions } });
  }
}
