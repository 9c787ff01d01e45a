import { IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

export class ReauthDto {
  @IsString() @MaxLength(1024)
  password: string;

  @IsOptional() @IsString()
  next?: string;
}

/** What SimpleWebAuthnBrowser's startAuthentication() returns; @simplewebauthn/server checks its inside. */
export class PasskeyAssertionDto {
  @IsObject()
  response: Record<string, unknown>;

  @IsOptional() @IsString()
  next?: string;
}
