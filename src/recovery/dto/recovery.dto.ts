import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsAcceptablePassword } from '../../users/dto/password.rules';
import { canonicalEmail } from '../../users/identity';

/** An address as sign-up accepts it: NFKC, trimmed, at most 254 characters (RFC 5321). */
function IsEmailAddress(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? canonicalEmail(value) : value)),
    IsString({ message: 'Enter your email address.' }),
    MaxLength(254, { message: 'Email address is too long.' }),
    IsEmail({}, { message: 'Enter a valid email address, like name@example.com.' }),
  );
}

/** Shape only: a link token that is not a string of sane length is refused before any look-up. */
function IsLinkToken(): PropertyDecorator {
  return applyDecorators(IsString({ message: 'The link is incomplete.' }), MaxLength(128, { message: 'The link is incomplete.' }));
}

function IsCurrentPassword(): PropertyDecorator {
  return applyDecorators(
    IsString({ message: 'Enter your current password.' }),
    MaxLength(1024, { message: 'Enter your current password.' }),
  );
}

export class ForgotPasswordDto {
  @IsEmailAddress()
  email: string;
}

export class ResetPasswordDto {
  @IsLinkToken()
  token: string;

  @IsAcceptablePassword()
  newPassword: string;

  /** Only for an account with two-factor authentication: a TOTP or recovery code. */
  @IsOptional() @IsString() @MaxLength(32)
  code?: string;
}

export class ConfirmLinkDto {
  @IsLinkToken()
  token: string;
}

export class ChangeEmailDto {
  @IsEmailAddress()
  newEmail: string;

  @IsCurrentPassword()
  currentPassword: string;
}

export class DeleteAccountDto {
  @IsCurrentPassword()
  currentPassword: string;
}
