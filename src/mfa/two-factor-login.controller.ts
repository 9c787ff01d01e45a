import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthCookies } from '../auth/auth-cookies';
import { AuthService } from '../auth/auth.service';
import { Public } from '../auth/decorators/public.decorator';
import { safeNextPath } from '../auth/safe-next';
import { TokenPairResponse } from '../auth/dto/token.responses';
import { tokenResponse } from '../auth/token-response';
import { Client } from '../common/http/client.decorator';
import { ClientInfo } from '../common/http/request-kind';
import { seeOther } from '../common/http/see-other';
import { View } from '../common/http/view.decorator';
import { FormPage } from '../common/views/form-page';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { ApiSeeOther } from '../openapi/api-see-other.decorator';
import { RateLimited } from '../security/throttling/rate-limited.decorator';
import { SecondFactorLoginDto } from './dto/code.dto';
import { MfaErrors } from './mfa.errors';
import { PendingLoginCookie } from './pending-login.cookie';
import { SecondFactorLogin } from './second-factor-login';

const TITLE = 'Two-factor authentication';

/** The second step of a password login (docs/http.md, "Two-factor authentication"). */
@Public()
@Controller('auth/2fa')
export class TwoFactorLoginController {
  constructor(
    private readonly login: SecondFactorLogin,
    private readonly auth: AuthService,
    private readonly cookies: AuthCookies,
    private readonly pending: PendingLoginCookie,
  ) {}

  @Get()
  @View('auth/2fa')
  @ApiExcludeEndpoint()
  page(@Query('next') next: string | undefined, @Req() req: Request) {
    const target = safeNextPath(next);
    if (!this.pending.read(req)) return seeOther(`/auth/login?next=${encodeURIComponent(target)}`);
    return { title: TITLE, values: { next: target }, errors: {} };
  }

  /**
   * An API client sends the `mfa_token` from its login answer and gets the
   * token pair; a browser's pending login is in its cookie, and it gets the
   * session cookies and a 303 to `next`.
   */
  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: TokenPairResponse, description: 'API client (with mfa_token): the token pair.' })
  @ApiSeeOther('Browser (pending login in its cookie): session cookies set, then on to `next` or /profile.')
  @ApiErrors(MfaErrors.CODE_INVALID, MfaErrors.PENDING_LOGIN_INVALID, MfaErrors.TOO_MANY_CODES, 503)
  @FormPage('auth/2fa', TITLE)
  @RateLimited()
  async verify(
    @Body() dto: SecondFactorLoginDto,
    @Client() client: ClientInfo,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const fromApi = dto.mfa_token !== undefined;
    const { user, persistent } = await this.login.complete(fromApi ? dto.mfa_token : this.pending.read(req), dto.code, client.ip);
    const pair = await this.auth.login(user, client, persistent, 'second factor');
    if (fromApi) return tokenResponse(pair);
    // As at the password form: the login whose cookies these replace ends too (docs/security.md).
    await this.auth.logout(undefined, this.cookies.refreshToken(req));
    this.pending.clear(res);
    this.cookies.setForNewLogin(res, pair);
    return seeOther(safeNextPath(dto.next));
  }
}
