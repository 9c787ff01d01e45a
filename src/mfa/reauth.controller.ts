import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiExcludeEndpoint, ApiOkResponse } from '@nestjs/swagger';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { Sensitive } from '../auth/decorators/sensitive.decorator';
import { safeNextPath } from '../auth/safe-next';
import { AppError } from '../common/errors/app-error';
import { Client } from '../common/http/client.decorator';
import { ClientInfo } from '../common/http/request-kind';
import { seeOther } from '../common/http/see-other';
import { View } from '../common/http/view.decorator';
import { FormPage } from '../common/views/form-page';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { ApiSeeOther } from '../openapi/api-see-other.decorator';
import { SecurityEvents } from '../security/security-events';
import { CurrentPasswordCheck } from '../security/throttling/current-password-check';
import { RateLimited } from '../security/throttling/rate-limited.decorator';
import { NextPathResponse, PasskeyAuthenticationOptionsResponse } from './dto/mfa.responses';
import { PasskeyAssertionDto, ReauthDto } from './dto/reauth.dto';
import { MfaErrors } from './mfa.errors';
import { PasskeysService } from './passkeys.service';
import { ReauthService } from './reauth.service';

const TITLE = 'Confirm it is you';

/** A fresh proof of identity for this login, by password or passkey (docs/security.md). */
@Sensitive()
@Controller('auth/reauth')
export class ReauthController {
  constructor(
    private readonly reauth: ReauthService,
    private readonly currentPassword: CurrentPasswordCheck,
    private readonly passkeys: PasskeysService,
    private readonly events: SecurityEvents,
  ) {}

  @Get()
  @View('auth/reauth')
  @ApiExcludeEndpoint()
  page(@Query('next') next?: string) {
    return { title: TITLE, values: { next: safeNextPath(next) }, errors: {} };
  }

  @Post()
  @FormPage('auth/reauth', TITLE)
  @RateLimited()
  // 201, the status of a POST without @HttpCode: seeOther's JSON answer keeps the handler's own.
  @ApiCreatedResponse({ type: NextPathResponse, description: 'Proved for REAUTH_WINDOW on this login; `next` is where to go back to.' })
  @ApiSeeOther('A form: on to `next` or /account/security.')
  @ApiErrors(MfaErrors.PASSWORD_INVALID, 503)
  async withPassword(@CurrentUser() user: AuthUser, @Body() dto: ReauthDto, @Client() client: ClientInfo) {
    if (!(await this.currentPassword.verify(user.id, dto.password))) {
      this.events.record('reauth.failed', { userId: user.id, ip: client.ip });
      throw new AppError(MfaErrors.PASSWORD_INVALID);
    }
    return this.proved(user, client, dto.next);
  }

  @Post('passkey/options')
  @HttpCode(HttpStatus.OK)
  @RateLimited()
  @ApiOkResponse({ type: PasskeyAuthenticationOptionsResponse, description: "A challenge for one of the caller's passkeys." })
  @ApiErrors(503)
  passkeyOptions(@CurrentUser() user: AuthUser) {
    return this.passkeys.authenticationOptions('reauth', user.id);
  }

  @Post('passkey')
  @HttpCode(HttpStatus.OK)
  @RateLimited()
  @ApiOkResponse({ type: NextPathResponse, description: 'Proved for REAUTH_WINDOW on this login; `next` is where to go back to.' })
  @ApiErrors(MfaErrors.PASSKEY_REFUSED, 503)
  async withPasskey(@CurrentUser() user: AuthUser, @Body() dto: PasskeyAssertionDto, @Client() client: ClientInfo) {
    await this.passkeys.authenticate(dto.response as unknown as AuthenticationResponseJSON, 'reauth', user.id);
    await this.reauth.record(user.sessionId, user.id);
    this.events.record('reauth.succeeded', { userId: user.id, ip: client.ip, reason: 'passkey' });
    return { next: safeNextPath(dto.next ?? '/account/security') };
  }

  private async proved(user: AuthUser, client: ClientInfo, next: string | undefined) {
    await this.reauth.record(user.sessionId, user.id);
    this.events.record('reauth.succeeded', { userId: user.id, ip: client.ip, reason: 'password' });
    const target = safeNextPath(next ?? '/account/security');
    return seeOther(target, { body: { next: target } });
  }
}
