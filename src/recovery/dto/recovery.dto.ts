import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsAcceptablePassword } from '../../users/dto/password.rules';
import { IsEmailAddress } from '../../users/dto/email.rules';

/** A link token is 43 characters of base64url; anything much longer is not one. */
const LINK_TOKEN_MAX_LENGTH = 128;
const CURRENT_PASSWORD_MAX_LENGTH = 1024;
const CODE_MAX_LENGTH = 32;

/** Shape only: a link token that is not a string of sane length is refused before any look-up. */
function IsLinkToken(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ description: 'The `token` of the link in the mail.', maxLength: LINK_TOKEN_MAX_LENGTH }),
    IsString({ message: 'The link is incomplete.' }),
    MaxLength(LINK_TOKEN_MAX_LENGTH, { message: 'The link is incomplete.' }),
  );
}

function IsCurrentPassword(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ format: 'password', maxLength: CURRENT_PASSWORD_MAX_LENGTH }),
    IsString({ message: 'Enter your current password.' }),
    MaxLength(CURRENT_PASSWORD_MAX_LENGTH, { message: 'Enter your current password.' }),
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
  @ApiPropertyOptional({
    description: 'Only for an account with two-factor authentication: a TOTP or recovery code.',
    maxLength: CODE_MAX_LENGTH,
  })
  @IsOptional()
  @IsString()
  @MaxLength(CODE_MAX_LENGTH)
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
