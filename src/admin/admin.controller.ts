import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { Roles } from '../auth/decorators/roles.decorator';
import { safeNextPath } from '../auth/safe-next';
import { seeOther } from '../common/http/see-other';
import { View } from '../common/http/view.decorator';
import { setFlash } from '../common/views/flash';
import { UserIdPipe } from '../common/validation/id.pipe';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { ApiSeeOther } from '../openapi/api-see-other.decorator';
import { AdminErrors } from './admin.errors';
import { AdminService } from './admin.service';
import { confirmDisablePage, confirmRevokeSessionsPage, usersPage } from './admin.view';
import { ListUsersQuery } from './dto/list-users.query';
import { UserPageResponse } from './dto/user-page.response';

@Roles('admin')
@ApiErrors(503)
@Controller('admin/users')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get()
  @View('admin/users', usersPage)
  @ApiOkResponse({ type: UserPageResponse, description: 'One page of users, 20 at a time, by username.' })
  list(@Query() query: ListUsersQuery) {
    return this.admin.listUsers(query.q ?? '', query.page ?? 1);
  }

  /** A page that asks first (docs/architecture.md); changes nothing. */
  @Get(':id/disable')
  @View('confirm')
  @ApiExcludeEndpoint()
  async confirmDisable(@Param('id', UserIdPipe) id: string, @Query('returnTo') back: unknown) {
    return confirmDisablePage(await this.admin.getUser(id), backTo(back));
  }

  @Post(':id/disable')
  @ApiSeeOther('Disabled, and every login of theirs ended: back to the list.')
  @ApiErrors(AdminErrors.NO_SUCH_USER, AdminErrors.CANNOT_DISABLE_SELF)
  async disable(
    @CurrentUser() admin: AuthUser,
    @Param('id', UserIdPipe) id: string,
    @Body('returnTo') back: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const user = await this.admin.setDisabled(admin, id, true);
    setFlash(res, backTo(back), { notice: 'userDisabled', params: { name: user.username } });
    return seeOther(backTo(back));
  }

  @Post(':id/enable')
  @ApiSeeOther('Enabled: back to the list.')
  @ApiErrors(AdminErrors.NO_SUCH_USER)
  async enable(
    @CurrentUser() admin: AuthUser,
    @Param('id', UserIdPipe) id: string,
    @Body('returnTo') back: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const user = await this.admin.setDisabled(admin, id, false);
    setFlash(res, backTo(back), { notice: 'userEnabled', params: { name: user.username } });
    return seeOther(backTo(back));
  }

  @Get(':id/revoke-sessions')
  @View('confirm')
  @ApiExcludeEndpoint()
  async confirmRevokeSessions(@Param('id', UserIdPipe) id: string, @Query('returnTo') back: unknown) {
    return confirmRevokeSessionsPage(await this.admin.getUser(id), backTo(back));
  }

  @Post(':id/revoke-sessions')
  @ApiSeeOther('Every login of theirs ended: back to the list.')
  @ApiErrors(AdminErrors.NO_SUCH_USER)
  async revokeSessions(
    @CurrentUser() admin: AuthUser,
    @Param('id', UserIdPipe) id: string,
    @Body('returnTo') back: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const user = await this.admin.revokeSessions(admin, id);
    setFlash(res, backTo(back), { notice: 'userSessionsEnded', params: { name: user.username } });
    return seeOther(backTo(back));
  }
}

/** Back to the list page the admin acted from, keeping its search and page. */
function backTo(returnTo: unknown): string {
  const target = safeNextPath(returnTo);
  return target.startsWith('/admin/users') ? target : '/admin/users';
}
