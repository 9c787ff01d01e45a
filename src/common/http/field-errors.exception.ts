import { HttpException } from '@nestjs/common';

/** One message per form field, keyed by the field's name. */
export type FieldErrors = Record<string, string>;

/**
 * An error a person can fix in a form. JSON clients get
 * `{ statusCode, message, errors }`; form pages re-render with `errors`.
 */
export class FieldErrorsException extends HttpException {
  constructor(
    status: number,
    readonly fieldErrors: FieldErrors,
    message = Object.values(fieldErrors).join(' '),
  ) {
    super({ statusCode: status, message, errors: fieldErrors }, status);
  }
}
