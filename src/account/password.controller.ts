import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { Sensitive } from '../auth/decorators/sensitive.decorator';
import { wantsHtml } from '../common/http/request-kind';
import { FormPage } from '../common/views/form-page';
import { RateLimited } from '../security/throttling/rate-limited.decorator';
import { AccountService } from './account.service';
import { ChangePasswordDto } from './dto/change-password.dto';

const TITLE = 'Change password';

@Sensitive()
@Controller('account/password')
export class PasswordController {
  constructor(private readonly account: AccountService) {}

  @Get()
  @Render('account/password')
  page(@Query('changed') changed?: string) {
    return { title: TITLE, values: {}, errors: {}, changed: changed === '1' };
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @FormPage('account/password', TITLE)
  @RateLimited()
  async change(@CurrentUser() user: AuthUser, @Body() dto: ChangePasswordDto, @Req() req: Request, @Res() res: Response) {
    const endedSessions = await this.account.changePassword(user, dto);
    if (wantsHtml(req)) res.redirect(HttpStatus.SEE_OTHER, '/account/password?changed=1');
    else res.json({ message: 'Password changed.', endedSessions });
  }
}
