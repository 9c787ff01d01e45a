import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { Roles } from '../auth/decorators/roles.decorator';
import { safeNextPath } from '../auth/safe-next';
import { seeOther } from '../common/http/see-other';
import { View } from '../common/http/view.decorator';
import { UserIdPipe } from '../common/validation/id.pipe';
import { AdminService } from './admin.service';
import { usersPage } from './admin.view';
import { ListUsersQuery } from './dto/list-users.query';

@Roles('admin')
@Controller('admin/users')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get()
  @View('admin/users', usersPage)
  list(@Query() query: ListUsersQuery) {
    return this.admin.listUsers(query.q ?? '', query.page ?? 1);
  }

  @Post(':id/disable')
  async disable(@CurrentUser() admin: AuthUser, @Param('id', UserIdPipe) id: string, @Body('returnTo') back: unknown) {
    await this.admin.setDisabled(admin, id, true);
    return backToList(back);
  }

  @Post(':id/enable')
  async enable(@CurrentUser() admin: AuthUser, @Param('id', UserIdPipe) id: string, @Body('returnTo') back: unknown) {
    await this.admin.setDisabled(admin, id, false);
    return backToList(back);
  }

  @Post(':id/revoke-sessions')
  async revokeSessions(@CurrentUser() admin: AuthUser, @Param('id', UserIdPipe) id: string, @Body('returnTo') back: unknown) {
    await this.admin.revokeSessions(admin, id);
    return backToList(back);
  }
}

/** Back to the list page the admin acted from, keeping its search and page. */
function backToList(returnTo: unknown) {
  const target = safeNextPath(returnTo);
  return seeOther(target.startsWith('/admin/users') ? target : '/admin/users');
}
