import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsObject, IsString, MaxLength } from 'class-validator';

const NAME_MAX_LENGTH = 64;

export class PasskeyNameDto {
  @ApiProperty({ description: 'What the passkey is shown as (trimmed).', minLength: 1, maxLength: NAME_MAX_LENGTH, example: 'Laptop' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty({ message: 'Give the passkey a name.' })
  @MaxLength(NAME_MAX_LENGTH)
  name: string;
}

/** What SimpleWebAuthnBrowser's startRegistration() returns, and the name to show it under. */
export class PasskeyRegistrationDto extends PasskeyNameDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The RegistrationResponseJSON of SimpleWebAuthnBrowser's startRegistration().",
  })
  @IsObject()
  response: Record<string, unknown>;
}
