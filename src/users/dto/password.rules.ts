import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength, ValidateBy, ValidationArguments } from 'class-validator';
import {
  fitsBcrypt,
  isCommonPassword,
  isUsernameAsPassword,
  PASSWORD_MAX_BYTES,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
} from '../password-policy';

export const PASSWORD_MESSAGES = {
  required: 'Choose a password.',
  tooShort: `Password must be at least ${PASSWORD_MIN_LENGTH} characters.`,
  tooLong: `Password must be at most ${PASSWORD_MAX_LENGTH} characters.`,
  tooManyBytes: `Password must be at most ${PASSWORD_MAX_BYTES} bytes (fewer characters if you use accents or emoji).`,
  tooCommon: 'That password is too common. Choose one that is harder to guess.',
  sameAsUsername: 'Password must not be the same as your username.',
} as const;

const rule = (name: string, message: string, validate: (value: string, args: ValidationArguments) => boolean) =>
  ValidateBy({ name, validator: { validate: (value: unknown, args) => typeof value !== 'string' || validate(value, args!) } }, { message });

/** The rules every new password meets, at sign-up and at a password change (see password-policy.ts), and their API description. */
export function IsAcceptablePassword(usernameProperty?: string): PropertyDecorator {
  const rules = [
    // The same limits, in the API document (docs/architecture.md).
    ApiProperty({
      format: 'password',
      minLength: PASSWORD_MIN_LENGTH,
      maxLength: PASSWORD_MAX_LENGTH,
      description: `At most ${PASSWORD_MAX_BYTES} bytes in UTF-8, not a common password, not the username.`,
    }),
    IsString({ message: PASSWORD_MESSAGES.required }),
    MinLength(PASSWORD_MIN_LENGTH, { message: PASSWORD_MESSAGES.tooShort }),
    MaxLength(PASSWORD_MAX_LENGTH, { message: PASSWORD_MESSAGES.tooLong }),
    rule('fitsBcrypt', PASSWORD_MESSAGES.tooManyBytes, fitsBcrypt),
    rule('notCommonPassword', PASSWORD_MESSAGES.tooCommon, (value) => !isCommonPassword(value)),
  ];
  if (usernameProperty) {
    rules.push(
      rule('notUsername', PASSWORD_MESSAGES.sameAsUsername, (value, args) => {
        const username = (args.object as Record<string, unknown>)[usernameProperty];
        return typeof username !== 'string' || !isUsernameAsPassword(value, username);
      }),
    );
  }
  return applyDecorators(...rules);
}
