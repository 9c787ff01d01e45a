import { Controller, Get, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthCookies } from '../auth/auth-cookies';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { Sensitive } from '../auth/decorators/sensitive.decorator';
import { seeOther } from '../common/http/see-other';
import { View } from '../common/http/view.decorator';
import { setFlash } from '../common/views/flash';
import { SessionIdPipe } from '../common/validation/id.pipe';
import { AccountService } from './account.service';
import { confirmRevokeOthersPage, sessionsPage, toSessionJson } from './sessions.view';

@Sensitive()
@Controller('account/sessions')
export class SessionsController {
  constructor(
    private readonly account: AccountService,
    private readonly cookies: AuthCookies,
  ) {}

  @Get()
  @View('account/sessions', sessionsPage)
  async list(@CurrentUser() user: AuthUser) {
    return (await this.account.listSessions(user)).map((s) => toSessionJson(s, user.sessionId));
  }

  @Post(':id/revoke')
  async revoke(@CurrentUser() user: AuthUser, @Param('id', SessionIdPipe) id: string, @Res({ passthrough: true }) res: Response) {
    await this.account.revokeSession(user, id);
    if (id === user.sessionId) {
      // Ending this very login is a logout; the sessions page then sends the browser to log in.
      this.cookies.clear(res);
      setFlash(res, '/auth/login', { notice: 'loggedOut' });
    } else {
      setFlash(res, '/account/sessions', { notice: 'sessionEnded' });
    }
    return seeOther('/account/sessions');
  }

  /** Asks first (README, "Confirming destructive actions"); changes nothing. */
  @Get('revoke-others')
  @View('confirm')
  confirmRevokeOthers() {
    return confirmRevokeOthersPage();
  }

  @Post('revoke-others')
  async revokeOthers(@CurrentUser() user: AuthUser, @Res({ passthrough: true }) res: Response) {
    await this.account.revokeOtherSessions(user);
    setFlash(res, '/account/sessions', { notice: 'othersLoggedOut' });
    return seeOther('/account/sessions');
  }
}
