import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, ValidateBy } from 'class-validator';
import { canonicalEmail, hasInvisibleControls } from '../identity';

/** RFC 5321's limit on an address. */
const EMAIL_MAX_LENGTH = 254;

export const EMAIL_MESSAGES = {
  required: 'Enter your email address.',
  tooLong: 'Email address is too long.',
  invalid: 'Enter a valid email address, like name@example.com.',
  controls: 'Email address must not contain line breaks or other invisible control characters.',
} as const;

/**
 * An address as every form takes it: NFKC, trimmed, at most 254 characters.
 * validator.js accepts control characters inside a quoted local part
 * ("a\r\nb"@x), which a mail library then rewrites into another address, so
 * they are refused here. A quoted local part of printable characters stays
 * valid (RFC 5321), and every page escapes it.
 */
export function IsEmailAddress(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ format: 'email', maxLength: EMAIL_MAX_LENGTH, example: 'alice@example.com' }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? canonicalEmail(value) : value)),
    IsString({ message: EMAIL_MESSAGES.required }),
    MaxLength(EMAIL_MAX_LENGTH, { message: EMAIL_MESSAGES.tooLong }),
    ValidateBy(
      {
        name: 'noControlCharacters',
        validator: { validate: (value: unknown) => typeof value !== 'string' || !hasInvisibleControls(value) },
      },
      { message: EMAIL_MESSAGES.controls },
    ),
    IsEmail({}, { message: EMAIL_MESSAGES.invalid }),
  );
}
