import { BadRequestException, ForbiddenException, HttpException, UnauthorizedException } from '@nestjs/common';
import { describeException } from './describe-exception';
import { FieldErrorsException } from './field-errors.exception';

/** Shaped like the http-errors that Express middleware (body-parser, csurf) throws. */
const httpError = (status: number, fields: Record<string, unknown>) =>
  Object.assign(new Error('internal detail: /srv/app/secret.ts'), { status, statusCode: status, expose: status < 500, ...fields });

describe('describeException', () => {
  it('an HttpException with a string message - its status and message, not unexpected', () => {
    expect(describeException(new UnauthorizedException('Authentication required'))).toEqual({
      statusCode: 401,
      message: 'Authentication required',
      errors: undefined,
      unexpected: false,
    });
  });

  it('an HttpException with an array of messages - joined with "; "', () => {
    expect(describeException(new BadRequestException(['a is wrong', 'b is wrong'])).message).toBe('a is wrong; b is wrong');
  });

  it('an HttpException with a plain string response - that string as message', () => {
    expect(describeException(new HttpException('Teapot', 418))).toMatchObject({ statusCode: 418, message: 'Teapot' });
  });

  it('an HttpException whose response has no message - falls back to the exception message', () => {
    const result = describeException(new HttpException({ statusCode: 409 }, 409));
    expect(result.statusCode).toBe(409);
    expect(typeof result.message).toBe('string');
    expect(result.message.length).toBeGreaterThan(0);
  });

  it('a FieldErrorsException - keeps the field errors', () => {
    const result = describeException(new FieldErrorsException(422, { email: 'Enter a valid email address.' }));
    expect(result).toEqual({
      statusCode: 422,
      message: 'Enter a valid email address.',
      errors: { email: 'Enter a valid email address.' },
      unexpected: false,
    });
  });

  it('a bad CSRF token from csurf - 403 with a reload hint, not its internal message', () => {
    const result = describeException(httpError(403, { code: 'EBADCSRFTOKEN' }));
    expect(result).toEqual({
      statusCode: 403,
      message: 'The form has expired or did not come from this site. Reload the page and try again.',
      unexpected: false,
    });
  });

  it('a body that is too large - 413 "The request body is too large."', () => {
    expect(describeException(httpError(413, { type: 'entity.too.large' }))).toEqual({
      statusCode: 413,
      message: 'The request body is too large.',
      unexpected: false,
    });
  });

  it('malformed JSON - 400 "The request body is not valid JSON."', () => {
    expect(describeException(httpError(400, { type: 'entity.parse.failed' }))).toMatchObject({
      statusCode: 400,
      message: 'The request body is not valid JSON.',
    });
  });

  it('another exposed 4xx http-error - its status with a generic message, never its own text', () => {
    const result = describeException(httpError(415, { type: 'encoding.unsupported' }));
    expect(result).toEqual({ statusCode: 415, message: 'The request could not be understood.', unexpected: false });
  });

  it('a 4xx http-error not marked expose - a bare 500, unexpected', () => {
    expect(describeException(httpError(400, { expose: false }))).toEqual({
      statusCode: 500,
      message: 'Something went wrong on our side.',
      unexpected: true,
    });
  });

  it('a 5xx http-error marked expose - a bare 500', () => {
    expect(describeException(httpError(502, { expose: true })).statusCode).toBe(500);
  });

  it.each([
    'MongoServerSelectionError',
    'MongooseServerSelectionError',
    'MongoNetworkError',
    'MongoNotConnectedError',
    'PoolClearedOnNetworkError',
    'MongoServerClosedError',
  ])('a %s - 503 temporarily unavailable, not unexpected', (name) => {
    const error = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:27017'), { name });
    expect(describeException(error)).toEqual({
      statusCode: 503,
      message: 'The service is temporarily unavailable. Please try again shortly.',
      unexpected: false,
    });
  });

  it.each(['EPIPE', 'ECONNRESET'])('a bare socket error %s, as the driver passes up when the database closes mid-write - 503', (code) => {
    const error = Object.assign(new Error('This socket has been ended by the other party'), { code });
    expect(describeException(error)).toMatchObject({ statusCode: 503, unexpected: false });
  });

  it('a Mongoose "buffering timed out" error - 503', () => {
    const error = Object.assign(new Error('Operation `users.findOne()` buffering timed out after 10000ms'), { name: 'MongooseError' });
    expect(describeException(error).statusCode).toBe(503);
  });

  it('any other error - a bare 500 that hides its message, marked unexpected', () => {
    const result = describeException(new TypeError("Cannot read properties of undefined (reading 'passwordHash')"));
    expect(result).toEqual({ statusCode: 500, message: 'Something went wrong on our side.', unexpected: true });
  });

  it.each([null, undefined, 'a string', 42])('a thrown non-error (%p) - a bare 500, unexpected', (thrown) => {
    expect(describeException(thrown)).toEqual({ statusCode: 500, message: 'Something went wrong on our side.', unexpected: true });
  });

  it('a Nest ForbiddenException - 403 with its message', () => {
    expect(describeException(new ForbiddenException('Cross-site request refused.'))).toMatchObject({
      statusCode: 403,
      message: 'Cross-site request refused.',
    });
  });
});
