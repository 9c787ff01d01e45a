import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches } from 'class-validator';
import { canonicalUsername, USERNAME_PATTERN } from '../identity';
import { IsEmailAddress } from './email.rules';
import { IsAcceptablePassword } from './password.rules';

const normalise = (fn: (s: string) => string) =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? fn(value) : value));

export class CreateUserDto {
  @ApiProperty({
    description: '3 to 32 letters, digits, dots, underscores or hyphens (docs/security.md).',
    pattern: USERNAME_PATTERN.source,
    example: 'alice',
  })
  @normalise(canonicalUsername)
  @IsString({ message: 'Choose a username.' })
  @Matches(USERNAME_PATTERN, {
    message: 'Username must be 3 to 32 characters: letters, digits, dots, underscores or hyphens.',
  })
  username: string;

  @IsEmailAddress()
  email: string;

  @IsAcceptablePassword('username')
  password: string;
}
