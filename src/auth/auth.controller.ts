import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query, Render, Req, Res, ServiceUnavailableException, UnauthorizedException, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { clientInfo, sentJson, wantsHtml } from '../common/http/request-kind';
import { FormPage } from '../common/views/form-page';
import { RefreshRejected } from '../sessions/sessions.service';
import { RateLimited } from '../security/throttling/rate-limited.decorator';
import { CreateUserDto } from '../users/dto/create-user.dto';
import { UserView } from '../users/user.view';
import { AuthCookies } from './auth-cookies';
import { AuthUser } from './auth-user';
import { AuthService, TokenPair } from './auth.service';
import { CurrentUser } from './decorators/current-user.decorator';
import { Public } from './decorators/public.decorator';
import { LoginDto } from './dto/login.dto';
import { RefreshDto } from './dto/refresh.dto';
import { LocalAuthGuard } from './guards/local-auth.guard';
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
  ) {}

  @Get('signup')
  @Render('auth/signup')
  signupPage() {
    return { title: SIGNUP_TITLE, values: {}, errors: {} };
  }

  @Post('signup')
  @FormPage('auth/signup', SIGNUP_TITLE)
  @RateLimited()
  async signup(@Body() dto: CreateUserDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const pair = await this.auth.signup(dto, clientInfo(req));
    this.cookies.setForNewLogin(res, pair);
    res.redirect(HttpStatus.SEE_OTHER, DEFAULT_NEXT);
  }

  @Get('login')
  @Render('auth/login')
  loginPage(@Query('next') next?: string) {
    return { title: LOGIN_TITLE, values: { next: safeNextPath(next) }, errors: {} };
  }

  @Post('login')
  @FormPage('auth/login', LOGIN_TITLE)
  @RateLimited()
  @UseGuards(LocalAuthGuard)
  async login(@CurrentUser() user: UserView, @Body() dto: LoginDto, @Req() req: Request, @Res() res: Response) {
    const pair = await this.auth.login(user, clientInfo(req), dto.remember !== undefined);
    // JSON login answers with the tokens and sets no cookies (CONTRACT.md).
    if (sentJson(req)) {
      res.status(HttpStatus.OK).json(tokenResponse(pair));
      return;
    }
    this.cookies.setForNewLogin(res, pair);
    res.redirect(HttpStatus.SEE_OTHER, safeNextPath(dto.next));
  }

  /** Changes nothing by itself (GET never rotates, ASVS 3.5.3): its form or script POSTs. */
  @Get('refresh')
  refreshPage(@Query('next') next: string | undefined, @Req() req: Request, @Res() res: Response): void {
    const target = safeNextPath(next);
    if (!this.cookies.refreshToken(req)) {
      res.redirect(HttpStatus.SEE_OTHER, `/auth/login?next=${encodeURIComponent(target)}`);
      return;
    }
    res.render('auth/refresh', { title: 'Welcome back', next: target });
  }

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @RateLimited()
  async refresh(@Body() dto: RefreshDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const fromApi = dto.refresh_token !== undefined;
    let pair: TokenPair;
    try {
      pair = await this.auth.refresh(fromApi ? dto.refresh_token : this.cookies.refreshToken(req), clientInfo(req));
    } catch (error) {
      if (!(error instanceof RefreshRejected)) throw error;
      // Contention is not the client's fault: keep its cookies and let it retry.
      if (error.reason === 'busy') throw new ServiceUnavailableException('Too many refreshes at once. Try again.');
      if (!fromApi) this.cookies.clear(res);
      if (wantsHtml(req)) {
        res.redirect(HttpStatus.SEE_OTHER, `/auth/login?next=${encodeURIComponent(safeNextPath(dto.next))}`);
        return;
      }
      throw new UnauthorizedException('The refresh token is invalid, expired or revoked. Log in again.');
    }
    if (fromApi) {
      res.json(tokenResponse(pair));
    } else if (wantsHtml(req)) {
      this.cookies.set(res, pair);
      res.redirect(HttpStatus.SEE_OTHER, safeNextPath(dto.next));
    } else {
      this.cookies.set(res, pair);
      res.json({ expires_in: pair.expiresIn });
    }
  }

  @Post('logout')
  async logout(
    @CurrentUser() user: AuthUser | undefined,
    @Body() dto: RefreshDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.auth.logout(user?.sessionId, dto.refresh_token ?? this.cookies.refreshToken(req));
    this.cookies.clear(res);
    if (wantsHtml(req)) res.redirect(HttpStatus.SEE_OTHER, '/');
    else res.status(HttpStatus.NO_CONTENT).end();
  }
}
