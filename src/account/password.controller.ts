import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query, Render } from '@nestjs/common';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { Sensitive } from '../auth/decorators/sensitive.decorator';
import { seeOther } from '../common/http/see-other';
import { FormPage } from '../common/views/form-page';
import { RateLimited } from '../security/throttling/rate-limited.decorator';
import { AccountService } from './account.service';
import { ChangePasswordDto } from './dto/change-password.dto';

const TITLE = 'Change password';

@Sensitive()
@Controller('account/password')
export class PasswordController {
  constructor(private readonly account: AccountService) {}

  @Get()
  @Render('account/password')
  page(@Query('changed') changed?: string) {
    return { title: TITLE, values: {}, errors: {}, changed: changed === '1' };
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @FormPage('account/password', TITLE)
  @RateLimited()
  async change(@CurrentUser() user: AuthUser, @Body() dto: ChangePasswordDto) {
    const endedSessions = await this.account.changePassword(user, dto);
    return seeOther('/account/password?changed=1', { body: { message: 'Password changed.', endedSessions } });
  }
}
