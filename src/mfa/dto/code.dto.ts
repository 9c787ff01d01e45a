import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** A TOTP code or a recovery code; at most a few dozen characters of either. */
export class CodeDto {
  @ApiProperty({ description: 'A 6-digit TOTP code or a recovery code (xxxxx-xxxxx).', example: '123456' })
  @IsString()
  @MaxLength(32)
  code: string;
}

/** The second half of a login: the code, and for API clients the pending login's token. */
export class SecondFactorLoginDto extends CodeDto {
  @ApiPropertyOptional({ description: 'API clients: the mfa_token from the 401 mfa_required answer of POST /auth/login.' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  mfa_token?: string;

  @ApiPropertyOptional({ description: 'Form only: the local path to go on to.', example: '/profile' })
  @IsOptional()
  @IsString()
  next?: string;
}

export class DisableTwoFactorDto extends CodeDto {
  @ApiProperty({ format: 'password', maxLength: 1024 })
  @IsString()
  @MaxLength(1024)
  currentPassword: string;
}
