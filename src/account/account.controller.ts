import { Controller, Get } from '@nestjs/common';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { View } from '../common/http/view.decorator';
import { profilePage, toProfile } from './profile.view';

@Controller()
export class AccountController {
  @Get('profile')
  @View('account/profile', profilePage)
  profile(@CurrentUser() user: AuthUser) {
    return toProfile(user);
  }
}
