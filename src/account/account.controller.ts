import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { wantsHtml } from '../common/http/request-kind';
import { profilePage, toProfile } from './profile.view';

@Controller()
export class AccountController {
  @Get('profile')
  profile(@CurrentUser() user: AuthUser, @Req() req: Request, @Res() res: Response): void {
    if (wantsHtml(req)) res.render('account/profile', profilePage(user));
    else res.json(toProfile(user));
  }
}
