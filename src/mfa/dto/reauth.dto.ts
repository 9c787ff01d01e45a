import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

export class ReauthDto {
  @ApiProperty({ format: 'password', maxLength: 1024 })
  @IsString()
  @MaxLength(1024)
  password: string;

  @ApiPropertyOptional({ description: 'The local path to go back to.', example: '/account/security' })
  @IsOptional()
  @IsString()
  next?: string;
}

/** What SimpleWebAuthnBrowser's startAuthentication() returns; @simplewebauthn/server checks its inside. */
export class PasskeyAssertionDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The AuthenticationResponseJSON of SimpleWebAuthnBrowser's startAuthentication().",
  })
  @IsObject()
  response: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'The local path to go on to.', example: '/profile' })
  @IsOptional()
  @IsString()
  next?: string;
}
