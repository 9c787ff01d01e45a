import { Transform } from 'class-transformer';
import { IsNotEmpty, IsObject, IsString, MaxLength } from 'class-validator';

export class PasskeyNameDto {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString() @IsNotEmpty({ message: 'Give the passkey a name.' }) @MaxLength(64)
  name: string;
}

/** What SimpleWebAuthnBrowser's startRegistration() returns, and the name to show it under. */
export class PasskeyRegistrationDto extends PasskeyNameDto {
  @IsObject()
  response: Record<string, unknown>;
}
