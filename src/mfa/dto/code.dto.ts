import { IsOptional, IsString, MaxLength } from 'class-validator';

/** A TOTP code or a recovery code; at most a few dozen characters of either. */
export class CodeDto {
  @IsString() @MaxLength(32)
  code: string;
}

/** The second half of a login: the code, and for API clients the pending login's token. */
export class SecondFactorLoginDto extends CodeDto {
  @IsOptional() @IsString() @MaxLength(1024)
  mfa_token?: string;

  @IsOptional() @IsString()
  next?: string;
}

export class DisableTwoFactorDto extends CodeDto {
  @IsString() @MaxLength(1024)
  currentPassword: string;
}
