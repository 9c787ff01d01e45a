import { HttpStatus, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldErrors, FieldErrorsException } from '../http/field-errors.exception';

/** Nest's pipe, with errors shaped as one readable message per field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => new FieldErrorsException(HttpStatus.UNPROCESSABLE_ENTITY, fieldErrors(errors)),
  });
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
