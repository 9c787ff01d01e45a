import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { DiffersFrom, MaxUtf8Bytes, NotCommonPassword } from '../../common/validation/validators';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 64;
/** bcrypt's input limit; see MaxUtf8Bytes. */
export const PASSWORD_MAX_BYTES = 72;

/** The rules every new password meets, at sign-up and at a password change, and their API description. */
export function IsAcceptablePassword(usernameProperty?: string): PropertyDecorator {
  const rules = [
    // The same limits, in the API document (README "API description").
    ApiProperty({
      format: 'password',
      minLength: PASSWORD_MIN_LENGTH,
      maxLength: PASSWORD_MAX_LENGTH,
      description: `At most ${PASSWORD_MAX_BYTES} bytes in UTF-8, not a common password, not the username.`,
    }),
    IsString({ message: 'Choose a password.' }),
    MinLength(PASSWORD_MIN_LENGTH, { message: `Password must be at least ${PASSWORD_MIN_LENGTH} characters.` }),
    MaxLength(PASSWORD_MAX_LENGTH, { message: `Password must be at most ${PASSWORD_MAX_LENGTH} characters.` }),
    MaxUtf8Bytes(PASSWORD_MAX_BYTES, {
      message: `Password must be at most ${PASSWORD_MAX_BYTES} bytes (fewer characters if you use accents or emoji).`,
    }),
  ];
  rules.push(NotCommonPassword({ message: 'That password is too common. Choose one that is harder to guess.' }));
  if (usernameProperty) {
    rules.push(DiffersFrom(usernameProperty, { message: 'Password must not be the same as your username.' }));
  }
  return applyDecorators(...rules);
}

