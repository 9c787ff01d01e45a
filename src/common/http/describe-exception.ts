import { HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { AppError } from '../errors/app-error';
import { FieldErrors } from './field-errors.exception';

export interface ErrorBody {
  statusCode: number;
  message: string;
  errors?: FieldErrors;
}

const DATABASE_UNAVAILABLE = new Set([
  'MongooseServerSelectionError',
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  // The pool cleared by a network error while this operation waited for a
  // connection: what a request gets when the database dies under load.
  'PoolClearedOnNetworkError',
  'MongoPoolClosedError',
  'MongoServerClosedError',
  'MongoWaitQueueTimeoutError',
]);

/**
 * A connection the database closed while the driver was writing to it: in
 * that race the driver passes Node's own socket error up unwrapped ("This
 * socket has been ended by the other party", EPIPE), seen when the database
 * dies under a login. No other backend is written to inside a request
 * (mail leaves in the Outbox, Redis counts fall back to memory), so these
 * codes mean the database too.
 */
const SOCKET_FAILURES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT']);

/**
 * Turns anything thrown into what a client may see. Only AppErrors, HttpExceptions and
 * errors that declare themselves safe to expose (http-errors from Express
 * middleware: bad JSON, too large, bad CSRF token) keep their message;
 * everything else becomes a bare 500 so no internals leak.
 */
export function describeException(exception: unknown): ErrorBody & { unexpected: boolean } {
  if (exception instanceof AppError) {
    return { statusCode: exception.status, message: exception.message, errors: exception.fieldErrors, unexpected: false };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const body = typeof response === 'string' ? { message: response } : (response as Partial<ErrorBody>);
    const message = Array.isArray(body.message) ? body.message.join('; ') : (body.message ?? exception.message);
    return { statusCode: status, message, errors: body.errors, unexpected: false };
  }
  const error = exception as { name?: string; status?: unknown; expose?: boolean; code?: string; type?: string };
  if (typeof error?.status === 'number' && error.status >= 400 && error.status < 500 && error.expose) {
    return { statusCode: error.status, message: exposedMessage(error), unexpected: false };
  }
  if (isDatabaseOutage(error)) {
    return {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      message: 'The service is temporarily unavailable. Please try again shortly.',
      unexpected: false,
    };
  }
  return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, message: 'Something went wrong on our side.', unexpected: true };
}

/**
 * The driver's own outage errors, a socket it lost mid-write, and
 * Mongoose's while it is disconnected ("buffering timed out"), which carry
 * no distinct class of their own.
 */
function isDatabaseOutage(error: { name?: string; message?: string; code?: unknown } | null): boolean {
  if (!error?.name) return false;
  if (typeof error.code === 'string' && SOCKET_FAILURES.has(error.code)) return true;
  return DATABASE_UNAVAILABLE.has(error.name) || (error.name === 'MongooseError' && /buffering timed out/.test(error.message ?? ''));
}

function exposedMessage(error: { code?: string; type?: string; status?: unknown }): string {
  if (error.code === 'EBADCSRFTOKEN') return 'The form has expired or did not come from this site. Reload the page and try again.';
  if (error.type === 'entity.too.large') return 'The request body is too large.';
  if (error.type === 'entity.parse.failed') return 'The request body is not valid JSON.';
  return 'The request could not be understood.';
}

/**
 * A refused try that knows when it may come back (an AppError given
 * retryAfter(), a throttle's TooManyAttempts) says so in `Retry-After`
 * (RFC 9110 §10.2.3); every filter that answers an error calls this.
 */
export function setRetryAfter(res: Response, exception: unknown): void {
  const seconds = (exception as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  if (typeof seconds === 'number') res.setHeader('Retry-After', String(seconds));
}
