import { Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthCookies } from '../auth/auth-cookies';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { Sensitive } from '../auth/decorators/sensitive.decorator';
import { seeOther } from '../common/http/see-other';
import { View } from '../common/http/view.decorator';
import { setFlash } from '../common/views/flash';
import { SessionIdPipe } from '../common/validation/id.pipe';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { ApiSeeOther } from '../openapi/api-see-other.decorator';
import { AccountService } from './account.service';
import { SessionResponse } from './dto/account.responses';
import { confirmRevokeOthersPage, sessionsPage, toSessionJson } from './sessions.view';

@Sensitive()
@ApiErrors(503)
@Controller('account/sessions')
export class SessionsController {
  constructor(
    private readonly account: AccountService,
    private readonly cookies: AuthCookies,
  ) {}

  @Get()
  @View('account/sessions', sessionsPage)
  @ApiOkResponse({ type: [SessionResponse], description: "The caller's active logins." })
  async list(@CurrentUser() user: AuthUser) {
    return (await this.account.listSessions(user)).map((s) => toSessionJson(s, user.sessionId));
  }

  @Post(':id/revoke')
  @ApiSeeOther('Ended (when it was one of yours): back to /account/sessions.')
  @ApiErrors(404)
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

  /** A page that asks first (docs/architecture.md); changes nothing. */
  @Get('revoke-others')
  @View('confirm')
  @ApiExcludeEndpoint()
  confirmRevokeOthers() {
    return confirmRevokeOthersPage();
  }

  @Post('revoke-others')
  @ApiSeeOther('Every other login ended: back to /account/sessions.')
  async revokeOthers(@CurrentUser() user: AuthUser, @Res({ passthrough: true }) res: Response) {
    await this.account.revokeOtherSessions(user);
    setFlash(res, '/account/sessions', { notice: 'othersLoggedOut' });
    return seeOther('/account/sessions');
  }
}
