import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse } from '@nestjs/swagger';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { Sensitive } from '../auth/decorators/sensitive.decorator';
import { AppError } from '../common/errors/app-error';
import { seeOther } from '../common/http/see-other';
import { View } from '../common/http/view.decorator';
import { FormPage } from '../common/views/form-page';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { ApiSeeOther } from '../openapi/api-see-other.decorator';
import { CurrentPasswordCheck } from '../security/throttling/current-password-check';
import { RateLimited } from '../security/throttling/rate-limited.decorator';
import { UsersService } from '../users/users.service';
import { CodeDto, DisableTwoFactorDto } from './dto/code.dto';
import {
  PasskeyAddedResponse,
  PasskeyRegistrationOptionsResponse,
  RecoveryCodesResponse,
  SecurityOverviewResponse,
  TotpSetupResponse,
  TwoFactorOffResponse,
  TwoFactorOnResponse,
} from './dto/mfa.responses';
import { PasskeyNameDto, PasskeyRegistrationDto } from './dto/passkey.dto';
import { MfaErrors } from './mfa.errors';
import { PasskeysService } from './passkeys.service';
import { RequiresRecentAuth } from './recent-auth.guard';
import { SecondFactorLogin } from './second-factor-login';
import { SecondFactorService } from './second-factor.service';
import { recoveryCodesPage, securityPage, totpSetupPage, twoFactorOnPage } from './security.view';
import { RequiresVerifiedEmail } from './verified-email.guard';

const SECURITY = '/account/security';

/** The account's second factors: TOTP, recovery codes and passkeys (docs/http.md). */
@Sensitive()
@Controller('account')
export class SecurityController {
  constructor(
    private readonly factors: SecondFactorService,
    private readonly login: SecondFactorLogin,
    private readonly passkeys: PasskeysService,
    private readonly currentPassword: CurrentPasswordCheck,
    private readonly users: UsersService,
  ) {}

  @Get('security')
  @View('account/security', securityPage)
  @ApiOkResponse({ type: SecurityOverviewResponse, description: "The caller's second factors." })
  @ApiErrors(503)
  async overview(@CurrentUser() user: AuthUser) {
    const [twoFactor, passkeys, account] = await Promise.all([
      this.factors.status(user.id),
      this.passkeys.list(user.id),
      this.users.findById(user.id),
    ]);
    return { twoFactor, passkeys, emailVerified: !!account?.emailVerified };
  }

  // RequiresVerifiedEmail below RequiresRecentAuth, so its guard runs first:
  // an unverified account is not asked for its password only to be refused.
  @Get('2fa/totp')
  @View('account/security-totp', totpSetupPage)
  @RequiresRecentAuth()
  @RequiresVerifiedEmail()
  @ApiOkResponse({
    type: TotpSetupResponse,
    description: 'A new key (or the one already started), not active until POST /account/2fa/totp.',
  })
  @ApiErrors(MfaErrors.ALREADY_ENABLED, 503)
  totpSetup(@CurrentUser() user: AuthUser) {
    return this.factors.beginTotpSetup(user, user.username);
  }

  @Post('2fa/totp')
  @HttpCode(HttpStatus.OK)
  @View('account/security-recovery-codes', twoFactorOnPage)
  @FormPage('account/security-totp', 'Set up an authenticator app')
  @RateLimited()
  @RequiresRecentAuth('/account/2fa/totp')
  @RequiresVerifiedEmail()
  @ApiOkResponse({
    type: TwoFactorOnResponse,
    description: 'Two-factor authentication is on; the recovery codes are shown this once, and every other login is ended.',
  })
  @ApiErrors(MfaErrors.SETUP_NOT_STARTED, MfaErrors.ALREADY_ENABLED, MfaErrors.SETUP_CODE_INVALID, 503)
  async confirmTotp(@CurrentUser() user: AuthUser, @Body() dto: CodeDto) {
    const { recoveryCodes, endedSessions } = await this.factors.confirmTotpSetup(user, dto.code);
    return { recovery_codes: recoveryCodes, endedSessions };
  }

  @Post('2fa/recovery-codes')
  @HttpCode(HttpStatus.OK)
  @View('account/security-recovery-codes', (result: { recovery_codes: string[] }) => recoveryCodesPage(result, 'New recovery codes'))
  @RequiresRecentAuth()
  @ApiOkResponse({ type: RecoveryCodesResponse, description: 'A new set, shown this once; the old set stops working.' })
  @ApiErrors(MfaErrors.NOT_ENABLED, 503)
  async regenerate(@CurrentUser() user: AuthUser) {
    return { recovery_codes: await this.factors.regenerateRecoveryCodes(user.id) };
  }

  /** Asks for the current password and a code: its own proof, so no re-authentication window applies. */
  @Post('2fa/disable')
  @FormPage('account/security-disable', 'Turn off two-factor authentication')
  @RateLimited()
  @ApiOkResponse({ type: TwoFactorOffResponse, description: 'Off: TOTP and recovery codes are gone (passkeys stay).' })
  @ApiSeeOther('A form: back to /account/security.')
  @ApiErrors(MfaErrors.CURRENT_PASSWORD_INVALID, MfaErrors.CODE_INVALID, MfaErrors.NOT_ENABLED, MfaErrors.TOO_MANY_CODES, 503)
  async disable(@CurrentUser() user: AuthUser, @Body() dto: DisableTwoFactorDto) {
    if (!(await this.currentPassword.verify(user.id, dto.currentPassword))) throw new AppError(MfaErrors.CURRENT_PASSWORD_INVALID);
    if (!(await this.factors.isEnabled(user.id))) throw new AppError(MfaErrors.NOT_ENABLED);
    await this.login.assertCode(user.id, dto.code);
    await this.factors.disable(user.id, 'user');
    return seeOther(SECURITY, { status: HttpStatus.OK, body: { twoFactorEnabled: false } });
  }

  @Post('passkeys/options')
  @HttpCode(HttpStatus.OK)
  @RequiresRecentAuth()
  @RequiresVerifiedEmail()
  @ApiOkResponse({ type: PasskeyRegistrationOptionsResponse, description: 'A challenge to register a new passkey with.' })
  @ApiErrors(503)
  passkeyOptions(@CurrentUser() user: AuthUser) {
    return this.passkeys.registrationOptions(user);
  }

  @Post('passkeys')
  @HttpCode(HttpStatus.CREATED)
  @RequiresRecentAuth()
  @RequiresVerifiedEmail()
  @ApiCreatedResponse({ type: PasskeyAddedResponse, description: 'Registered.' })
  @ApiErrors(MfaErrors.PASSKEY_REGISTRATION_FAILED, 503)
  async addPasskey(@CurrentUser() user: AuthUser, @Body() dto: PasskeyRegistrationDto) {
    const passkey = await this.passkeys.register(user.id, dto.name, dto.response as unknown as RegistrationResponseJSON);
    return { id: passkey.id, name: passkey.name };
  }

  @Post('passkeys/:id/rename')
  @ApiNoContentResponse({ description: 'Renamed.' })
  @ApiSeeOther('A form: back to /account/security.')
  @ApiErrors(MfaErrors.PASSKEY_NOT_FOUND, 503)
  async renamePasskey(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: PasskeyNameDto) {
    await this.passkeys.rename(user.id, id, dto.name);
    return seeOther(SECURITY, { status: HttpStatus.NO_CONTENT });
  }

  @Post('passkeys/:id/remove')
  @RequiresRecentAuth()
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiSeeOther('A form: back to /account/security.')
  @ApiErrors(MfaErrors.PASSKEY_NOT_FOUND, 503)
  async removePasskey(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    await this.passkeys.remove(user.id, id);
    return seeOther(SECURITY, { status: HttpStatus.NO_CONTENT });
  }
}
