import { HttpStatus, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldErrors, FieldErrorsException } from '../http/field-errors.exception';

/**
 * Nest's pipe, with errors shaped as one readable message per field.
 *
 * A form a person filled in wrongly is 422. A body no form could produce —
 * an unknown field (`roles`, `_id`: mass assignment) or an object or array
 * where text belongs (`{"$ne": null}`: operator injection) — is 400.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) =>
      new FieldErrorsException(errors.some(isMalformed) ? HttpStatus.BAD_REQUEST : HttpStatus.UNPROCESSABLE_ENTITY, fieldErrors(errors)),
  });
}

function isMalformed(error: ValidationError): boolean {
  if (error.constraints?.whitelistValidation) return true;
  if (error.value !== null && typeof error.value === 'object' && !error.children?.length) return true;
  return (error.children ?? []).some(isMalformed);
}

function fieldErrors(errors: ValidationError[]): FieldErrors {
  const result: FieldErrors = {};
  for (const error of errors) {
    const message = Object.values(error.constraints ?? {})[0];
    if (message) result[error.property] = message;
    Object.assign(result, fieldErrors(error.children ?? []));
  }
  return result;
}
