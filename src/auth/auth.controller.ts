import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query, Render, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiExcludeEndpoint, ApiNoContentResponse, ApiOkResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Client, SentJson } from '../common/http/client.decorator';
import { ClientInfo } from '../common/http/request-kind';
import { seeOther } from '../common/http/see-other';
import { View } from '../common/http/view.decorator';
import { setFlash } from '../common/views/flash';
import { FormPage } from '../common/views/form-page';
import { MfaRequiredResponse } from '../mfa/dto/mfa.responses';
import { SecondFactorLogin } from '../mfa/second-factor-login';
import { SecondFactorRequiredFilter } from '../mfa/second-factor-required.filter';
import { ApiErrors, errorBody } from '../openapi/api-errors.decorator';
import { ApiOkOneOf } from '../openapi/api-ok-one-of.decorator';
import { ApiSeeOther } from '../openapi/api-see-other.decorator';
import { RateLimited } from '../security/throttling/rate-limited.decorator';
import { CreateUserDto } from '../users/dto/create-user.dto';
import { PublicUser } from '../users/public-user';
import { AuthCookies } from './auth-cookies';
import { AuthUser } from './auth-user';
import { AuthErrors } from './auth.errors';
import { AuthService } from './auth.service';
import { CurrentUser } from './decorators/current-user.decorator';
import { Public } from './decorators/public.decorator';
import { LoginDto } from './dto/login.dto';
import { RefreshDto } from './dto/refresh.dto';
import { CookieRefreshResponse, TokenPairResponse } from './dto/token.responses';
import { LocalAuthGuard } from './guards/local-auth.guard';
import { RefreshRejectedFilter } from './refresh-rejected.filter';
import { DEFAULT_NEXT, safeNextPath } from './safe-next';
import { tokenResponse } from './token-response';

const SIGNUP_TITLE = 'Sign up';
const LOGIN_TITLE = 'Log in';

@Public()
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly cookies: AuthCookies,
    private readonly secondFactor: SecondFactorLogin,
  ) {}

  @Get('signup')
  @Render('auth/signup')
  signupPage() {
    return { title: SIGNUP_TITLE, values: {}, errors: {} };
  }

  @Post('signup')
  @FormPage('auth/signup', SIGNUP_TITLE)
  @RateLimited()
  @ApiCreatedResponse({ type: TokenPairResponse, description: 'A JSON sign-up: the token pair, and no cookies.' })
  @ApiSeeOther('A form sign-up: logged in (cookies set), then on to /profile.')
  @ApiErrors(409, 503)
  async signup(
    @Body() dto: CreateUserDto,
    @Client() client: ClientInfo,
    @SentJson() api: boolean,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const pair = await this.auth.signup(dto, client);
    // An API client (the seed tutorial's sign-up) gets 201 and the JSON login's body, and no cookies.
    if (api) return tokenResponse(pair);
    await this.endReplacedLogin(req);
    this.cookies.setForNewLogin(res, pair);
    setFlash(res, DEFAULT_NEXT, { notice: 'signedUp', params: { name: dto.username } });
    return seeOther(DEFAULT_NEXT);
  }

  /**
   * Someone already logged in who was on their way somewhere (another tab
   * logged in, say) goes straight on to `next`. Without `next` the form is
   * shown, so a browser holding someone else's login can still log in as
   * its owner.
   */
  @Get('login')
  @View('auth/login')
  @ApiExcludeEndpoint()
  loginPage(@CurrentUser() user: AuthUser | undefined, @Query('next') next?: string) {
    if (user && next !== undefined) return seeOther(safeNextPath(next));
    return { title: LOGIN_TITLE, values: { next: safeNextPath(next) }, errors: {} };
  }

  /** A JSON login answers with the tokens and sets no cookies (docs/http.md). */
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @FormPage('auth/login', LOGIN_TITLE)
  @RateLimited()
  @UseGuards(LocalAuthGuard)
  @UseFilters(SecondFactorRequiredFilter)
  @ApiOkResponse({ type: TokenPairResponse, description: 'A JSON login: the token pair, and no cookies.' })
  @ApiSeeOther('A form login: cookies set, then on to `next` or /profile.')
  @ApiErrors(
    AuthErrors.INVALID_CREDENTIALS,
    errorBody(401, MfaRequiredResponse, 'the password was right and the account has a second factor (JSON login)'),
    503,
  )
  async login(
    @CurrentUser() user: PublicUser,
    @Body() dto: LoginDto,
    @Client() client: ClientInfo,
    @SentJson() api: boolean,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    // A right password is only half a login for an account with a second factor (docs/security.md).
    await this.secondFactor.requireIfEnabled(user, dto.remember !== undefined, client.ip);
    const pair = await this.auth.login(user, client, dto.remember !== undefined, 'password');
    if (api) return tokenResponse(pair);
    await this.endReplacedLogin(req);
    this.cookies.setForNewLogin(res, pair);
    return seeOther(safeNextPath(dto.next));
  }

  /** Changes nothing by itself (GET never rotates, ASVS 3.5.3): its form or script POSTs. */
  @Get('refresh')
  @View('auth/refresh')
  @ApiExcludeEndpoint()
  refreshPage(@Query('next') next: string | undefined, @Req() req: Request) {
    const target = safeNextPath(next);
    if (!this.cookies.refreshToken(req)) return seeOther(`/auth/login?next=${encodeURIComponent(target)}`);
    // renewing: the person is logged in, though their access token has expired, so the nav offers neither set of links.
    return { title: 'Welcome back', next: target, renewing: true };
  }

  /** An API client sends its token in the body and gets a new pair; a browser uses its cookie. */
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @RateLimited()
  @UseFilters(RefreshRejectedFilter)
  @ApiOkOneOf(
    'A new pair for a `refresh_token` in the body; for the refresh cookie, new cookies and their lifetime.',
    TokenPairResponse,
    CookieRefreshResponse,
  )
  @ApiSeeOther('A form refresh: new cookies, then on to `next`.')
  @ApiErrors(AuthErrors.REFRESH_REJECTED, AuthErrors.REFRESH_BUSY)
  async refresh(@Body() dto: RefreshDto, @Client() client: ClientInfo, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    if (dto.refresh_token !== undefined) return tokenResponse(await this.auth.refresh(dto.refresh_token, client));
    const pair = await this.auth.refresh(this.cookies.refreshToken(req), client);
    this.cookies.set(res, pair);
    return seeOther(safeNextPath(dto.next), { body: { expires_in: pair.expiresIn } });
  }

  @Post('logout')
  @ApiNoContentResponse({ description: 'Logged out: the login is ended and any cookies cleared.' })
  @ApiSeeOther('A form logout: on to /.')
  @ApiErrors(503)
  async logout(
    @CurrentUser() user: AuthUser | undefined,
    @Body() dto: RefreshDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.auth.logout(user?.sessionId, dto.refresh_token ?? this.cookies.refreshToken(req));
    this.cookies.clear(res);
    setFlash(res, '/', { notice: 'loggedOut' });
    return seeOther('/', { status: HttpStatus.NO_CONTENT });
  }

  /**
   * A browser that logs in (or signs up) again gets new cookies, which
   * replace the old login's; that login is ended on the server as well,
   * rather than left alive with nobody holding it. It is ended as a logout
   * with its refresh token would end it: only when the token is one that
   * login can still use, so a planted cookie cannot end someone else's.
   */
  private async endReplacedLogin(req: Request): Promise<void> {
    const replaced = this.cookies.refreshToken(req);
    if (replaced) await this.auth.logout(undefined, replaced);
  }
}
