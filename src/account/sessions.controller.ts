import { Controller, Get, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthCookies } from '../auth/auth-cookies';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { Sensitive } from '../auth/decorators/sensitive.decorator';
import { wantsHtml } from '../common/http/request-kind';
import { SessionIdPipe } from '../common/validation/id.pipe';
import { AccountService } from './account.service';
import { sessionsPage, toSessionJson } from './sessions.view';

@Sensitive()
@Controller('account/sessions')
export class SessionsController {
  constructor(
    private readonly account: AccountService,
    private readonly cookies: AuthCookies,
  ) {}

  @Get()
  async list(@CurrentUser() user: AuthUser, @Req() req: Request, @Res() res: Response): Promise<void> {
    const sessions = await this.account.listSessions(user);
    if (wantsHtml(req)) res.render('account/sessions', sessionsPage(sessions, user.sessionId));
    else res.json(sessions.map((s) => toSessionJson(s, user.sessionId)));
  }

  @Post(':id/revoke')
  async revoke(@CurrentUser() user: AuthUser, @Param('id', SessionIdPipe) id: string, @Res() res: Response) {
    await this.account.revokeSession(user, id);
    // Ending this very login is a logout.
    if (id === user.sessionId) this.cookies.clear(res);
    res.redirect(HttpStatus.SEE_OTHER, '/account/sessions');
  }

  @Post('revoke-others')
  async revokeOthers(@CurrentUser() user: AuthUser, @Res() res: Response): Promise<void> {
    await this.account.revokeOtherSessions(user);
    res.redirect(HttpStatus.SEE_OTHER, '/account/sessions');
  }
}
