import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { View } from '../common/http/view.decorator';
import { ProfileResponse } from './dto/account.responses';
import { profilePage, toProfile } from './profile.view';

@Controller()
export class AccountController {
  @Get('profile')
  @View('account/profile', profilePage)
  @ApiOkResponse({ type: ProfileResponse, description: 'Read from the access token alone.' })
  profile(@CurrentUser() user: AuthUser) {
    return toProfile(user);
  }
}
