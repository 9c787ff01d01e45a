import { FieldErrors } from '../http/field-errors.exception';

/** What a client is told about one failure: its HTTP status, message and, for forms, the field at fault. */
export interface ErrorSpec {
  status: number;
  message: string;
  field?: string;
}

export type ErrorCatalogue<T extends Record<string, ErrorSpec>> = { readonly [K in keyof T]: T[K] & { readonly code: K & string } };

/**
 * A feature's catalogue of errors, so code and tests share one vocabulary
 * (each test imports the catalogue rather than re-typing a message). Not
 * every failure is in one: see AppError below.
 */
export function defineErrors<T extends Record<string, ErrorSpec>>(specs: T): ErrorCatalogue<T> {
  return Object.fromEntries(Object.entries(specs).map(([code, spec]) => [code, Object.freeze({ ...spec, code })])) as ErrorCatalogue<T>;
}

/**
 * The error that services throw from their feature's catalogue. It knows
 * its HTTP status, so a service that throws it imports none of Nest's HTTP
 * exceptions, and the global filter (and form pages) answer it like any other
 * client error. It is not the only one: a few domain errors have filters of
 * their own (RefreshRejected, SecondFactorRequired, ReauthRequired), and
 * TooManyAttempts, SignInRequired, FieldErrorsException and the Nest
 * exceptions thrown by guards, strategies and pipes are HttpExceptions.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fieldErrors?: FieldErrors;
  /** For a refused try: when it may succeed, sent as `Retry-After` (RFC 9110 §10.2.3). */
  retryAfterSeconds?: number;

  constructor(spec: ErrorSpec & { code: string }, fieldErrors?: FieldErrors) {
    super(spec.message);
    this.name = 'AppError';
    this.status = spec.status;
    this.code = spec.code;
    this.fieldErrors = fieldErrors ?? (spec.field ? { [spec.field]: spec.message } : undefined);
  }

  retryAfter(seconds: number): this {
    this.retryAfterSeconds = Math.max(1, Math.ceil(seconds));
    return this;
  }
}
