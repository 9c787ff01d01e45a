import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Matches, MaxLength } from 'class-validator';
import { canonicalEmail, canonicalUsername, USERNAME_PATTERN } from '../identity';
import { IsAcceptablePassword } from './password.rules';

const normalise = (fn: (s: string) => string) =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? fn(value) : value));

export class CreateUserDto {
  @ApiProperty({
    description: '3 to 32 letters, digits, dots, underscores or hyphens (README "Usernames").',
    pattern: USERNAME_PATTERN.source,
    example: 'alice',
  })
  @normalise(canonicalUsername)
  @IsString({ message: 'Choose a username.' })
  @Matches(USERNAME_PATTERN, {
    message: 'Username must be 3 to 32 characters: letters, digits, dots, underscores or hyphens.',
  })
  username: string;

  @ApiProperty({ format: 'email', maxLength: 254, example: 'alice@example.com' })
  @normalise(canonicalEmail)
  @IsString({ message: 'Enter your email address.' })
  @MaxLength(254, { message: 'Email address is too long.' })
  @IsEmail({}, { message: 'Enter a valid email address, like name@example.com.' })
  email: string;

  @IsAcceptablePassword('username')
  password: string;
}
