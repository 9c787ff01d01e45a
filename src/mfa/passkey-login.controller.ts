import { Body, Controller, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { Request, Response } from 'express';
import { AuthCookies } from '../auth/auth-cookies';
import { AuthService } from '../auth/auth.service';
import { Public } from '../auth/decorators/public.decorator';
import { safeNextPath } from '../auth/safe-next';
import { AppError } from '../common/errors/app-error';
import { Client } from '../common/http/client.decorator';
import { ClientInfo } from '../common/http/request-kind';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { RateLimited } from '../security/throttling/rate-limited.decorator';
import { UsersService } from '../users/users.service';
import { NextPathResponse, PasskeyAuthenticationOptionsResponse } from './dto/mfa.responses';
import { PasskeyAssertionDto } from './dto/reauth.dto';
import { MfaErrors } from './mfa.errors';
import { PasskeysService } from './passkeys.service';

/**
 * "Sign in with a passkey", from the button or the username field's
 * autofill. A passkey verified with user verification is a full login: it
 * asks for no password and no second code.
 */
@Public()
@Controller('auth/passkey')
export class PasskeyLoginController {
  constructor(
    private readonly passkeys: PasskeysService,
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly cookies: AuthCookies,
  ) {}

  @Post('options')
  @HttpCode(HttpStatus.OK)
  @RateLimited()
  @ApiOkResponse({
    type: PasskeyAuthenticationOptionsResponse,
    description: 'A challenge for any passkey of this site (discoverable credentials).',
  })
  @ApiErrors(403, 503)
  options() {
    return this.passkeys.authenticationOptions('login');
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @RateLimited()
  @ApiOkResponse({
    type: NextPathResponse,
    description: 'Logged in: the session cookies are set (a passkey with user verification needs no second code).',
  })
  @ApiErrors(403, MfaErrors.PASSKEY_REFUSED, 503)
  async login(
    @Body() dto: PasskeyAssertionDto,
    @Client() client: ClientInfo,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const userId = await this.passkeys.authenticate(dto.response as unknown as AuthenticationResponseJSON, 'login');
    const user = await this.users.findById(userId);
    if (!user || user.disabled) throw new AppError(MfaErrors.PASSKEY_REFUSED);
    const pair = await this.auth.login(user, client, false, 'passkey');
    // As at the password form: the login whose cookies these replace ends too (docs/security.md).
    await this.auth.logout(undefined, this.cookies.refreshToken(req));
    this.cookies.setForNewLogin(res, pair);
    return { next: safeNextPath(dto.next) };
  }
}
