import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { PasskeySummary } from '../passkeys.service';
import type { ReauthRequiredBody } from '../reauth-required.filter';
import type { SecondFactorStatus, TotpSetup } from '../second-factor.service';
import type { MfaRequiredBody } from '../second-factor-required.filter';

/** POST /auth/login's 401 for an account with a second factor (SecondFactorRequiredFilter). */
export class MfaRequiredResponse implements MfaRequiredBody {
  @ApiProperty({ example: 401 })
  statusCode: number;

  @ApiProperty({ enum: ['mfa_required'] })
  error: 'mfa_required';

  @ApiProperty()
  message: string;

  @ApiProperty({ description: 'Send it with the code to POST /auth/2fa within 5 minutes; it works once.' })
  mfa_token: string;
}

/** The 401 of a sensitive change whose proof of identity is too old (ReauthRequiredFilter). */
export class ReauthRequiredResponse implements ReauthRequiredBody {
  @ApiProperty({ example: 401 })
  statusCode: number;

  @ApiProperty({
    enum: ['reauth_required'],
    description: 'Prove it is you at POST /auth/reauth (password) or /auth/reauth/passkey, then try again.',
  })
  error: 'reauth_required';

  @ApiProperty()
  message: string;
}

export class SecondFactorStatusResponse implements SecondFactorStatus {
  @ApiProperty({ description: 'Whether TOTP is on.' })
  enabled: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  enabledAt: Date | null;

  @ApiProperty({ example: 10 })
  recoveryCodesLeft: number;
}

export class PasskeyResponse implements PasskeySummary {
  @ApiProperty({ description: 'The credential id (base64url): the id to rename or remove it with.' })
  id: string;

  @ApiProperty({ example: 'Laptop' })
  name: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastUsedAt: Date | null;
}

export class SecurityOverviewResponse {
  @ApiProperty({ type: SecondFactorStatusResponse })
  twoFactor: SecondFactorStatusResponse;

  @ApiProperty({ type: [PasskeyResponse] })
  passkeys: PasskeyResponse[];

  @ApiProperty({ description: 'Whether the address is verified: until it is, no second factor can be added.' })
  emailVerified: boolean;
}

/** A TOTP key that becomes active once a code from it is sent to POST /account/2fa/totp. */
export class TotpSetupResponse implements TotpSetup {
  @ApiProperty({ description: 'The key in base32 (RFC 4648), to type into an authenticator app.' })
  secret: string;

  @ApiProperty({ description: 'An otpauth://totp/ link (SHA-1, 6 digits, 30 s).', example: 'otpauth://totp/Latchkey:alice?secret=…' })
  uri: string;

  @ApiProperty({ description: 'The link as a QR code: a PNG data: URL.' })
  qrDataUrl: string;
}

export class RecoveryCodesResponse {
  @ApiProperty({ type: [String], description: 'Ten codes, shown this once; each works once.', example: ['ABCDE-FGHJK'] })
  recovery_codes: string[];
}

export class TwoFactorOnResponse extends RecoveryCodesResponse {
  @ApiProperty({ description: 'How many other logins were ended: each must sign in again, with a code.', example: 2 })
  endedSessions: number;
}

export class TwoFactorOffResponse {
  @ApiProperty({ enum: [false] })
  twoFactorEnabled: false;
}

export class PasskeyAddedResponse {
  @ApiProperty({ description: 'The credential id (base64url).' })
  id: string;

  @ApiProperty({ example: 'Laptop' })
  name: string;
}

/** After a passkey login or a re-authentication: where the page goes next. */
export class NextPathResponse {
  @ApiProperty({ description: 'A local path.', example: '/profile' })
  next: string;
}

const WEBAUTHN = 'See the WebAuthn Level 3 JSON types (w3c.github.io/webauthn)';

/** Hand it to SimpleWebAuthnBrowser's startRegistration() (navigator.credentials.create). */
export class PasskeyRegistrationOptionsResponse implements PublicKeyCredentialCreationOptionsJSON {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The relying party: this app (name, id = the host of APP_URL).' })
  rp: PublicKeyCredentialCreationOptionsJSON['rp'];

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'id (base64url), name and displayName of the account.' })
  user: PublicKeyCredentialCreationOptionsJSON['user'];

  @ApiProperty({ description: 'base64url; stored server side and spent once.' })
  challenge: string;

  @ApiProperty({ type: 'array', items: { type: 'object' } })
  pubKeyCredParams: PublicKeyCredentialCreationOptionsJSON['pubKeyCredParams'];

  @ApiPropertyOptional({ description: 'Milliseconds.' })
  timeout?: number;

  @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, description: 'The passkeys the account already has.' })
  excludeCredentials?: PublicKeyCredentialCreationOptionsJSON['excludeCredentials'];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: WEBAUTHN })
  authenticatorSelection?: PublicKeyCredentialCreationOptionsJSON['authenticatorSelection'];

  @ApiPropertyOptional({ type: [String] })
  hints?: PublicKeyCredentialCreationOptionsJSON['hints'];

  @ApiPropertyOptional({ type: String })
  attestation?: PublicKeyCredentialCreationOptionsJSON['attestation'];

  @ApiPropertyOptional({ type: [String] })
  attestationFormats?: PublicKeyCredentialCreationOptionsJSON['attestationFormats'];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: WEBAUTHN })
  extensions?: PublicKeyCredentialCreationOptionsJSON['extensions'];
}

/** Hand it to SimpleWebAuthnBrowser's startAuthentication() (navigator.credentials.get). */
export class PasskeyAuthenticationOptionsResponse implements PublicKeyCredentialRequestOptionsJSON {
  @ApiProperty({ description: 'base64url; stored server side and spent once.' })
  challenge: string;

  @ApiPropertyOptional({ description: 'Milliseconds.' })
  timeout?: number;

  @ApiPropertyOptional({ description: 'The host of APP_URL.' })
  rpId?: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object' },
    description: 'Empty at the login (any passkey of this site); the caller’s own at re-authentication.',
  })
  allowCredentials?: PublicKeyCredentialRequestOptionsJSON['allowCredentials'];

  @ApiPropertyOptional({ type: String, enum: ['required'] })
  userVerification?: PublicKeyCredentialRequestOptionsJSON['userVerification'];

  @ApiPropertyOptional({ type: [String] })
  hints?: PublicKeyCredentialRequestOptionsJSON['hints'];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: WEBAUTHN })
  extensions?: PublicKeyCredentialRequestOptionsJSON['extensions'];
}
