import { Body, Controller, Get, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { Roles } from '../auth/decorators/roles.decorator';
import { safeNextPath } from '../auth/safe-next';
import { wantsHtml } from '../common/http/request-kind';
import { UserIdPipe } from '../common/validation/id.pipe';
import { AdminService } from './admin.service';
import { usersPage } from './admin.view';
import { ListUsersQuery } from './dto/list-users.query';

@Roles('admin')
@Controller('admin/users')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get()
  async list(@Query() query: ListUsersQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const q = query.q ?? '';
    const result = await this.admin.listUsers(q, query.page ?? 1);
    if (wantsHtml(req)) res.render('admin/users', usersPage(result, q, req.originalUrl));
    else res.json(result);
  }

  @Post(':id/disable')
  async disable(@CurrentUser() admin: AuthUser, @Param('id', UserIdPipe) id: string, @Body('returnTo') back: unknown, @Res() res: Response) {
    await this.admin.setDisabled(admin, id, true);
    this.goBack(res, back);
  }

  @Post(':id/enable')
  async enable(@CurrentUser() admin: AuthUser, @Param('id', UserIdPipe) id: string, @Body('returnTo') back: unknown, @Res() res: Response) {
    await this.admin.setDisabled(admin, id, false);
    this.goBack(res, back);
  }

  @Post(':id/revoke-sessions')
  async revokeSessions(@CurrentUser() admin: AuthUser, @Param('id', UserIdPipe) id: string, @Body('returnTo') back: unknown, @Res() res: Response) {
    await this.admin.revokeSessions(admin, id);
    this.goBack(res, back);
  }

  /** Back to the list page the admin acted from, keeping its search and page. */
  private goBack(res: Response, returnTo: unknown): void {
    const target = safeNextPath(returnTo);
    res.redirect(HttpStatus.SEE_OTHER, target.startsWith('/admin/users') ? target : '/admin/users');
  }
}
