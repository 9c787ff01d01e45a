import { Body, Controller, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { Roles } from '../auth/decorators/roles.decorator';
import { safeNextPath } from '../auth/safe-next';
import { AppError } from '../common/errors/app-error';
import { seeOther } from '../common/http/see-other';
import { UserIdPipe } from '../common/validation/id.pipe';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { ApiSeeOther } from '../openapi/api-see-other.decorator';
import { UsersService } from '../users/users.service';
import { MfaErrors } from './mfa.errors';
import { SecondFactorService } from './second-factor.service';

/** For the user who lost both phone and recovery codes: an admin turns their second factor off. */
@Roles('admin')
@Controller('admin/users')
export class AdminSecondFactorController {
  constructor(
    private readonly factors: SecondFactorService,
    private readonly users: UsersService,
  ) {}

  @Post(':id/reset-2fa')
  @ApiNoContentResponse({ description: 'Their TOTP and recovery codes are gone (passkeys stay); they are mailed.' })
  @ApiSeeOther('A form: back to the list.')
  @ApiErrors(MfaErrors.USER_NOT_FOUND, 503)
  async reset(@CurrentUser() admin: AuthUser, @Param('id', UserIdPipe) id: string, @Body('returnTo') returnTo: unknown) {
    if (!(await this.users.findById(id))) throw new AppError(MfaErrors.USER_NOT_FOUND);
    await this.factors.disable(id, 'admin', admin.id);
    const back = safeNextPath(returnTo);
    return seeOther(back.startsWith('/admin/users') ? back : '/admin/users', { status: HttpStatus.NO_CONTENT });
  }
}
